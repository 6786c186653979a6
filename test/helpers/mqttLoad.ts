import { execFile } from 'node:child_process';

/**
 * A bounded MQTT load in a child process (plain mqtt.js), so it runs off the test's thread as mqbench's
 * workers run off the coordinator's: one subscriber and one publisher on one topic, 64 B messages for
 * `seconds` at most (and `max` messages at most), QoS 0 as fast as the broker takes them or QoS 1 in
 * windows of 50 acknowledged publishes; then it waits (10 s at most) until the subscriber has them all.
 */
const LOAD = `
const mqtt = require('mqtt');
const [url, topic, qosText, secondsText, maxText, user, pass] = process.argv.slice(1);
const qos = Number(qosText);
const opts = (id) => ({ clientId: id, reconnectPeriod: 0, ...(user ? { username: user, password: pass } : {}) });
const connect = (id) => new Promise((res, rej) => { const c = mqtt.connect(url, opts(id)); c.once('connect', () => res(c)); c.once('error', rej); });
(async () => {
  const sub = await connect('load-sub-' + process.pid);
  let received = 0;
  sub.on('message', () => received++);
  await new Promise((r, j) => sub.subscribe(topic, { qos }, (e) => (e ? j(e) : r())));
  const pub = await connect('load-pub-' + process.pid);
  const start = Date.now();
  const payload = Buffer.alloc(64);
  let sent = 0;
  while (Date.now() - start < Number(secondsText) * 1000 && sent < Number(maxText)) {
    if (qos === 0) {
      for (let i = 0; i < 200; i++, sent++) pub.publish(topic, payload, { qos: 0 });
      await new Promise((r) => (pub.stream.writableNeedDrain ? pub.stream.once('drain', r) : setImmediate(r)));
    } else {
      await Promise.all(Array.from({ length: 50 }, () => new Promise((r, j) => pub.publish(topic, payload, { qos }, (e) => (e ? j(e) : r())))));
      sent += 50;
    }
  }
  const seconds = (Date.now() - start) / 1000;
  const deadline = Date.now() + 10000;
  while (received < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => pub.end(false, {}, r));
  await new Promise((r) => sub.end(false, {}, r));
  console.log(JSON.stringify({ sent, received, seconds }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

export interface LoadOptions {
  topic: string;
  qos: 0 | 1;
  seconds: number;
  max: number;
  username?: string;
  password?: string;
}

export function loadInChild(url: string, o: LoadOptions): Promise<{ sent: number; received: number; seconds: number }> {
  const args = [url, o.topic, String(o.qos), String(o.seconds), String(o.max), o.username ?? '', o.password ?? ''];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', LOAD, ...args], { timeout: 40_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`load process failed: ${err.message} ${stderr}`)) : resolve(JSON.parse(stdout)),
    );
  });
}
