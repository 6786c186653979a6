import { describe, expect, it } from 'vitest';
import { NOT_OFFERED, NOT_RECEIVABLE, receivableAt, SubscriptionIndex, type PlannedSubscription } from './ledger.js';

const sub = (client: number, slot: number, filter: string, qos: 0 | 1 | 2): PlannedSubscription => ({ client, slot, filter, qos });

describe('SubscriptionIndex: expected deliveries at the granted QoS', () => {
  it('takes the lowest of publish QoS, subscription QoS and the QoS the broker granted', () => {
    const index = new SubscriptionIndex([sub(0, 0, 't', 2), sub(1, 1, 't', 2), sub(2, 2, 't', 1)]);
    const r = new Uint8Array([receivableAt(2), receivableAt(1), receivableAt(1)]);
    expect(index.expectedFor('t', 2, r)).toEqual([0, 2, 1, 0]); // client 0 granted 2; client 1 granted 1 (RabbitMQ); client 2 asked 1
    expect(index.expectedFor('t', 1, r)).toEqual([0, 3, 0, 0]);
    expect(index.expectedFor('t', 0, r)).toEqual([3, 0, 0, 0]);
    r[0] = receivableAt(0);
    expect(index.expectedFor('t', 2, r)).toEqual([1, 2, 0, 0]);
  });

  it('a client with overlapping filters gets one delivery at the best granted QoS', () => {
    const index = new SubscriptionIndex([sub(0, 0, 'a/+', 2), sub(0, 1, 'a/b', 1)]);
    expect(index.expectedFor('a/b', 2, new Uint8Array([receivableAt(0), receivableAt(1)]))).toEqual([0, 1, 0, 0]);
    expect(index.expectedFor('a/b', 2, new Uint8Array([receivableAt(2), receivableAt(1)]))).toEqual([0, 0, 1, 0]);
    expect(index.expectedFor('a/b', 2, new Uint8Array([NOT_RECEIVABLE, NOT_RECEIVABLE]))).toEqual([0, 0, 0, 0]);
  });

  it('counts a delivery to a subscription the broker does not offer apart, once per client or $share group', () => {
    const index = new SubscriptionIndex([
      sub(0, 0, '$share/g/t/#', 1),
      sub(1, 1, '$share/g/t/#', 1), // one group of two
      sub(2, 2, '$share/h/t/#', 1), // another group
      sub(3, 3, 't/#', 1),
      sub(3, 4, '$share/k/t/x', 1), // a client with a plain and a shared filter
    ]);
    const r = new Uint8Array([NOT_OFFERED, NOT_OFFERED, NOT_OFFERED, receivableAt(1), NOT_OFFERED]);
    // groups g, h and k are not offered (3); client 3 gets its copy through t/#
    expect(index.expectedFor('t/x', 1, r)).toEqual([0, 1, 0, 3]);
    r[3] = NOT_RECEIVABLE; // client 3 away with a clean session: its plain filter expects nothing
    expect(index.expectedFor('t/x', 1, r)).toEqual([0, 0, 0, 3]);
    r[0] = receivableAt(1); // one member of g offered after all: g is expected again
    expect(index.expectedFor('t/x', 1, r)).toEqual([0, 1, 0, 2]);
  });
});
