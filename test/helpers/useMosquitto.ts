import { afterAll, beforeAll } from 'vitest';
import { startMosquitto, type MosquittoHandle } from './mosquitto.js';

/**
 * One mosquitto for the enclosing `describe` (or file): started before its tests, stopped after them. The
 * handle reads through to the running broker, so it can be declared at collection time and used in tests:
 *   const mosq = useMosquitto();
 *   it('…', async () => { await runYaml(yaml(mosq.url)); });
 */
export function useMosquitto(extraConfig: string[] = []): MosquittoHandle {
  let running: MosquittoHandle | undefined;
  beforeAll(async () => {
    running = await startMosquitto(extraConfig);
  });
  afterAll(async () => {
    await running?.stop();
  });
  return mosquittoReadThrough(() => started('useMosquitto', running));
}

/** The value a `beforeAll` has set, or a clear error when it is read too early (at collection time). */
export function started<T>(helper: string, value: T | undefined): T {
  if (!value) throw new Error(`${helper}: the broker starts in beforeAll; read it inside a test or a hook`);
  return value;
}

/** A MosquittoHandle that reads through to whatever `broker()` returns when it is used. */
export function mosquittoReadThrough(broker: () => MosquittoHandle): MosquittoHandle {
  return {
    get url() {
      return broker().url;
    },
    get port() {
      return broker().port;
    },
    get process() {
      return broker().process;
    },
    kill: () => broker().kill(),
    restart: () => broker().restart(),
    stop: () => broker().stop(),
    log: () => broker().log(),
  };
}
