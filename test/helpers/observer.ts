import mqtt from 'mqtt';

/**
 * An independent witness: a plain mqtt.js client, outside mqbench's code paths, that counts
 * what actually crossed the broker on a topic filter.
 */
export interface Observer {
  count(): number;
  close(): Promise<void>;
}

export async function observe(url: string, filter: string): Promise<Observer> {
  const client = mqtt.connect(url, { clientId: `observer-${Math.random().toString(16).slice(2)}`, reconnectPeriod: 0 });
  let n = 0;
  client.on('message', () => n++);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => client.subscribe(filter, { qos: 1 }, (err) => (err ? reject(err) : resolve())));
    client.once('error', reject);
  });
  return { count: () => n, close: () => new Promise((r) => client.end(false, {}, () => r())) };
}
