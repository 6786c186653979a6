import type { ConnectSpec, TargetSpec } from '../scenario/model.js';
import { connectOptions } from './options.js';
import type { Driver } from './driver.js';

const PROBE_CONNECT: ConnectSpec = { rate: 1, clean: true, keepaliveSec: 10, timeoutMs: 3000 };

/**
 * What the broker says it is, when it says: mosquitto (and others) publish a retained
 * `$SYS/broker/version`. Resolves undefined when the broker does not answer within `waitMs`.
 */
export async function brokerVersion(driver: Driver, target: TargetSpec, waitMs = 1500): Promise<string | undefined> {
  let conn;
  let version: string | undefined;
  let got: () => void = () => {};
  const arrived = new Promise<void>((resolve) => (got = resolve));
  try {
    conn = await driver.connect(connectOptions(target, `mqbench-probe-${Math.random().toString(16).slice(2, 10)}`, PROBE_CONNECT), {
      onMessage: (_topic, payload) => {
        version = payload.toString('utf8').slice(0, 200);
        got();
      },
      onLost: () => got(),
    });
    await conn.subscribe([{ topic: '$SYS/broker/version', qos: 0 }]);
    await Promise.race([arrived, new Promise((r) => setTimeout(r, waitMs).unref())]);
  } catch {
    return undefined;
  } finally {
    await conn?.end().catch(() => undefined);
  }
  return version;
}
