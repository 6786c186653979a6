import type { Connection } from '../driver/types.js';
import { ArrivalLedger } from '../metrics/ledger.js';
import { parseShared, topicMatches } from '../scenario/topic.js';
import type { GroupSpec, QoS } from '../scenario/types.js';
import type { GroupNames } from './naming.js';

/** One simulated client: its identity, its connection (when up) and its receive-side ledger. */
export class Device {
  conn: Connection | null = null;
  readonly ledger: ArrivalLedger | null;
  /** QoS 1/2 slots waiting for room in the in-flight window: [seq, dueMs] pairs, flattened. */
  backlog: number[] = [];
  private qosCache: Map<string, QoS> | null = null;

  constructor(
    readonly groupIndex: number,
    readonly group: GroupSpec,
    readonly names: GroupNames,
    /** Index within the group ({i}). */
    readonly index: number,
    /** Global client index across all groups: the publisher id in payload headers. */
    readonly global: number,
    readonly clientId: string,
    readonly filters: string[],
  ) {
    this.ledger = filters.length > 0 ? new ArrivalLedger() : null;
  }

  /** The QoS this client subscribed with for a topic (the highest of its matching filters). */
  subscriptionQos(topic: string): QoS {
    const subs = this.group.subscribe;
    if (subs.length === 1) return subs[0].qos;
    this.qosCache ??= new Map();
    let q = this.qosCache.get(topic);
    if (q === undefined) {
      q = 0;
      for (let k = 0; k < subs.length; k++) {
        const f = parseShared(this.filters[k])?.filter ?? this.filters[k];
        if (subs[k].qos > q && topicMatches(f, topic)) q = subs[k].qos;
      }
      if (this.qosCache.size > 10_000) this.qosCache.clear();
      this.qosCache.set(topic, q);
    }
    return q;
  }
}
