import { describe, expect, it } from 'vitest';
import { NotSent, type Connection } from '../driver/driver.js';
import type { Device } from './device.js';
import { Qos0Queue, type Qos0Message } from './qos0Queue.js';

const dev = {} as Device;
const conn = {} as Connection;

/** A queue whose verdicts are recorded as [dueMs, sentMs, e0, e1, e2, error?]. */
function recording(): { q: Qos0Queue<Device>; got: (number | string)[][] } {
  const got: (number | string)[][] = [];
  const q = new Qos0Queue(dev, conn, (_q, m: Qos0Message, err) => {
    got.push([m.dueMs, m.sentMs, m.e0, m.e1, m.e2, ...(err ? [err.message] : [])]);
  });
  return { q, got };
}

describe('Qos0Queue', () => {
  it('settles in publish order through one shared done, across wrap-arounds and growth', () => {
    const { q, got } = recording();
    let next = 0;
    let settled = 0;
    for (let round = 0; round < 100; round++) {
      for (let k = 0; k < 3 + (round % 11) * 3; k++, next++) q.push(next, next + 0.25, next % 3, 1, 0);
      for (let k = 0; k < 2 + (round % 5) * 4 && q.size > 0; k++) q.done();
      while (settled < got.length) {
        expect(got[settled]).toEqual([settled, settled + 0.25, settled % 3, 1, 0]);
        settled++;
      }
    }
    while (q.size > 0) q.done(new NotSent('not sent: closed'));
    expect(got.length).toBe(next);
    expect(got.at(-1)).toEqual([next - 1, next - 0.75, (next - 1) % 3, 1, 0, 'not sent: closed']);
  });

  it('a verdict inside publish() settles the message being published (the newest), not the oldest', () => {
    const { q, got } = recording();
    q.push(1, 1, 0, 0, 0);
    q.push(2, 2, 0, 0, 0);
    q.push(3, 3, 1, 0, 0);
    q.publishing = true;
    q.done(new NotSent('not sent: the socket send buffer is full'));
    q.publishing = false;
    expect(got).toEqual([[3, 3, 1, 0, 0, 'not sent: the socket send buffer is full']]);
    q.done();
    q.done();
    expect(got.slice(1).map((g) => g[0])).toEqual([1, 2]);
    expect(q.size).toBe(0);
  });

  it('ignores a verdict with nothing waiting (never settles a message twice)', () => {
    const { q, got } = recording();
    q.done();
    q.push(5, 6, 0, 0, 0);
    q.done();
    q.done(new NotSent('x'));
    expect(got).toEqual([[5, 6, 0, 0, 0]]);
  });
});
