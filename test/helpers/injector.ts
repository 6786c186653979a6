import mqtt from 'mqtt';

/**
 * Independent truth for duplicates: a plain mqtt.js client (none of mqbench's code) that captures mqbench
 * payloads from a topic and re-publishes them, each copy a duplicate for every subscriber that receives it.
 */

/** Payload header offsets (see src/worker/payload.ts), read here without mqbench's code. */
const seqOf = (p: Buffer) => p.readUInt32LE(12);

/**
 * A raw client that subscribes to `topic`, keeps the payloads of the sequence numbers asked for, and once
 * it sees a message with sequence number `after` or later re-publishes them (QoS 1) to the same topic:
 * returns how many it re-published.
 */
export async function injector(url: string, topic: string, seqs: number[], after: number): Promise<{ done: Promise<number>; close: () => Promise<void> }> {
  const client = mqtt.connect(url, { clientId: `injector-${Math.random().toString(16).slice(2)}`, reconnectPeriod: 0, protocolVersion: 5 });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => client.subscribe(topic, { qos: 1 }, (err) => (err ? reject(err) : resolve())));
    client.once('error', reject);
  });
  const captured = new Map<number, Buffer>();
  let fired = false;
  const done = new Promise<number>((resolve, reject) => {
    client.on('message', (_t, payload) => {
      const seq = seqOf(payload);
      if (seqs.includes(seq) && !captured.has(seq)) captured.set(seq, Buffer.from(payload));
      if (fired || seq < after) return;
      fired = true;
      const all = [...captured.values()];
      Promise.all(all.map((p) => client.publishAsync(topic, p, { qos: 1 }))).then(() => resolve(all.length), reject);
    });
  });
  return { done, close: () => new Promise((r) => client.end(false, {}, () => r())) };
}
