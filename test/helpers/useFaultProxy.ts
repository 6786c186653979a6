import { afterAll, beforeAll } from 'vitest';
import { startFaultProxy, type FaultProxy } from './faultProxy.js';
import { startMosquitto, type MosquittoHandle } from './mosquitto.js';
import { mosquittoReadThrough, started } from './useMosquitto.js';

/**
 * One mosquitto with the fault proxy in front of it, for the enclosing `describe` (or file): both started
 * before its tests, the proxy closed and the broker stopped after them. Both handles read through to the
 * running ones, so they can be declared at collection time and used in tests:
 *   const { mosq, proxy } = useFaultProxy();
 *   it('…', async () => { proxy.setRules({ dropEvery: 10 }); await runYaml(yaml(proxy.url)); });
 */
export function useFaultProxy(extraConfig: string[] = []): { mosq: MosquittoHandle; proxy: FaultProxy } {
  let mosq: MosquittoHandle | undefined;
  let proxy: FaultProxy | undefined;
  beforeAll(async () => {
    mosq = await startMosquitto(extraConfig);
    proxy = await startFaultProxy({ host: '127.0.0.1', port: mosq.port });
  });
  afterAll(async () => {
    await proxy?.close();
    await mosq?.stop();
  });
  const running = (): FaultProxy => started('useFaultProxy', proxy);
  return {
    mosq: mosquittoReadThrough(() => started('useFaultProxy', mosq)),
    proxy: {
      get url() {
        return running().url;
      },
      get port() {
        return running().port;
      },
      counts: () => running().counts(),
      setRules: (rules) => running().setRules(rules),
      held: () => running().held(),
      clients: () => running().clients(),
      kill: (clientId) => running().kill(clientId),
      close: () => running().close(),
    },
  };
}
