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
  const broker = (): MosquittoHandle => {
    if (!running) throw new Error('useMosquitto: the broker starts in beforeAll; read it inside a test or a hook');
    return running;
  };
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
