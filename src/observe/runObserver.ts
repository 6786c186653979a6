/**
 * The observer of one run (or one capacity step): started just before the workers connect, stopped after
 * they closed, on the coordinator's thread (each source has its own connection; nothing runs on a worker's
 * event loop). It never fails a run: a source that cannot start or read is reported in `broker.sources`
 * and as a warning.
 *
 * Seconds: the observer places readings with the same clock of seconds as the results' intervals (the
 * aggregator's keyOf: seconds from the start of publishing, a snapshot just after a whole second belongs to
 * the second it closes). Until publishing starts, the start of observation stands in for it; `realign`
 * moves it, and the readings are placed with the final origin when the observer stops.
 */
import { readFileSync } from 'node:fs';
import type { Driver } from '../driver/driver.js';
import { tlsOptions } from '../driver/options.js';
import type { Results } from '../metrics/types.js';
import type { TargetSpec } from '../scenario/model.js';
import type { Clock } from '../shared/clock.js';
import { withBroker } from './attach.js';
import { startObserver, type BrokerObserver } from './observer.js';
import type { ObserveRequest } from './request.js';

export interface RunObserver {
  /** Publishing starts (epoch ms): the results' second 0. */
  realign(publishStart: number): void;
  /**
   * Stops sampling and returns the results with `broker` and `intervals[i].broker` added, and one warning per
   * failed source. `publishStart` (epoch ms, 0 when publishing never began) realigns first.
   */
  finish(results: Results, publishStart?: number): Promise<{ results: Results; warnings: string[] }>;
  /** Stops sampling without results (a run that threw); a no-op after finish. */
  stop(): Promise<void>;
}

export interface RunObserverContext {
  target: TargetSpec;
  driver: Driver;
  clock: Clock;
  procRoot?: string;
}

/** The same rule as the aggregator's keyOf (src/metrics/aggregate.ts): interval t closes at origin + t s. */
export const intervalAt = (origin: number, ms: number): number => Math.ceil((ms - origin) / 1000 - 0.25);

/** The command name of a process (/proc/<pid>/comm), or null. */
function commandOf(pid: number, procRoot = '/proc'): string | null {
  try {
    return readFileSync(`${procRoot}/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

export async function startRunObserver(req: ObserveRequest, ctx: RunObserverContext): Promise<RunObserver> {
  const { clock, target } = ctx;
  let origin = clock.now();
  const intervalOf = (ms: number) => intervalAt(origin, ms);
  const sys = req.sys === true || (req.sys === 'auto' && req.pid !== undefined && commandOf(req.pid, ctx.procRoot) === 'mosquitto');
  const observer: BrokerObserver = await startObserver({
    ...(req.pid !== undefined ? { pid: req.pid } : {}),
    ...(req.tid !== undefined ? { tid: req.tid } : {}),
    ...(req.prometheus ? { prometheus: { url: req.prometheus.url, preset: req.prometheus.preset, custom: req.prometheus.metrics } } : {}),
    ...(sys
      ? {
          sys: {
            url: target.url,
            driver: ctx.driver,
            username: target.username,
            password: target.password,
            tls: tlsOptions(target),
            protocolVersion: target.mqttVersion,
          },
        }
      : {}),
    clock,
    intervalOf,
    procRoot: ctx.procRoot,
  });
  return {
    realign(publishStart) {
      if (publishStart > 0) origin = publishStart;
    },
    async finish(results, publishStart) {
      if (publishStart) origin = publishStart;
      const observation = await observer.stop();
      const warnings = observation.sources
        .filter((s) => !s.ok)
        .map((s) => `broker observation (${s.kind} ${s.target}) failed: ${s.error ?? 'no values'}; the run goes on without it`);
      return { results: withBroker(results, observation), warnings };
    },
    async stop() {
      await observer.stop();
    },
  };
}
