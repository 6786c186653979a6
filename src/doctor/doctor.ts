/**
 * `mqbench doctor`, without the command line: the machine checks (pure, on facts read by the caller) and the
 * broker probes in the order printed, each check handed to `emit` as soon as it is known.
 */
import { randomBytes } from 'node:crypto';
import { probeAddress, probeBroker } from '../driver/probe.js';
import type { Driver } from '../driver/driver.js';
import type { ProtocolLevel, Scenario, TargetSpec } from '../scenario/model.js';
import type { Check } from './check.js';
import { ProbeSession } from './probeSession.js';
import { machineChecks, type LoadPlan } from './machine.js';
import type { MachineFacts } from './procfs.js';
import { probeBrokerVersion, probeConnect, probeLatency, probeMaxQos, probeRetain, probeShared } from './probes.js';
import { judgeReachable } from './verdicts.js';

/** What a scenario relies on: a broker without it fails the scenario (FAIL), otherwise it is a WARN. */
export interface Needs {
  /** The MQTT version is the scenario's (not just any that works). */
  version: boolean;
  qos: number;
  retain: boolean;
  /** Late subscriptions (subscribe[].at) with a wildcard filter expect retained messages. */
  retainWildcard: boolean;
  shared: boolean;
}

export const NO_NEEDS: Needs = { version: false, qos: 0, retain: false, retainWildcard: false, shared: false };

export function scenarioNeeds(s: Scenario): Needs {
  let qos = 0;
  let retain = false;
  let shared = false;
  let lateWildcard = false;
  for (const g of s.groups) {
    for (const sub of g.subscribe) {
      qos = Math.max(qos, sub.qos);
      shared ||= sub.topic.startsWith('$share/');
      lateWildcard ||= sub.atMs !== undefined && !sub.topic.startsWith('$share/') && /[+#]/.test(sub.topic);
    }
    if (g.publish) {
      qos = Math.max(qos, g.publish.qos, g.publish.qosMix?.[2] ? 2 : 0);
      retain ||= g.publish.retain;
    }
  }
  return { version: true, qos, retain, retainWildcard: retain && lateWildcard, shared };
}

/** Clients the scenario opens in total (one connection each). */
export const scenarioConnections = (s: Scenario): number => s.groups.reduce((n, g) => n + g.count, 0);

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127\./.test(h);
}

/** The broker's host is this machine: loopback or one of `localAddresses` (from the network interfaces). */
export function isLocalHost(host: string, localAddresses: readonly string[]): boolean {
  return isLoopback(host) || localAddresses.some((a) => a.toLowerCase() === host.toLowerCase());
}

export function runMachineChecks(facts: MachineFacts, plan: LoadPlan, emit: (c: Check) => void): void {
  for (const c of machineChecks(facts, plan)) emit(c);
}

/**
 * Reachability, then a connect with each MQTT version, then (with a version that works) max QoS, retain,
 * shared subscriptions, $SYS version and the no-delay latency hint. Stops early when nothing can connect.
 */
export async function runBrokerChecks(target: TargetSpec, needs: Needs, driver: Driver, emit: (c: Check) => void): Promise<void> {
  const addr = probeAddress(target.url);
  const hostPort = addr ? (addr.host.includes(':') ? `[${addr.host}]:${addr.port}` : `${addr.host}:${addr.port}`) : target.url;
  const t0 = performance.now();
  const problem = await probeBroker(target.url, 3000);
  emit(judgeReachable(hostPort, problem, performance.now() - t0));
  if (problem) return;

  const id = randomBytes(4).toString('hex');
  const works: Partial<Record<ProtocolLevel, boolean>> = {};
  // MQTT 3.1 is probed only for a scenario that uses it.
  for (const v of target.mqttVersion === 3 ? ([3, 4, 5] as const) : ([4, 5] as const)) {
    const r = await probeConnect(new ProbeSession(driver, target, id), v, needs.version && target.mqttVersion === v);
    emit(r.check);
    works[v] = r.works;
  }
  const version: ProtocolLevel | undefined = needs.version && works[target.mqttVersion] ? target.mqttVersion : works[5] ? 5 : works[4] ? 4 : undefined;
  if (version === undefined) return;

  const s = new ProbeSession(driver, { ...target, mqttVersion: version }, id);
  emit(await probeMaxQos(s, needs.qos));
  emit(await probeRetain(s, needs.retain));
  emit(await probeRetain(s, needs.retainWildcard, true));
  emit(await probeShared(s, needs.shared));
  emit(await probeBrokerVersion(s));
  emit(await probeLatency(s, addr !== null && isLoopback(addr.host)));
}
