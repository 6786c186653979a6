/**
 * Which of a client's subscriptions a delivery can belong to, and what the ledger makes of it. The
 * subscriptions counted for a message are those whose receivable window (Device.since/until) holds its
 * send time, as publishers counted them: the client's own (non-shared) ones may each bring a copy, the
 * first at the highest of their QoS being the one owed; matching `$share` ones owe one copy to each
 * group. The delivery is accounted under the QoS it actually arrived with.
 */
import { ArrivalLedger, type Arrival, type ShareTarget } from '../metrics/streams.js';
import type { ShareLedger } from '../metrics/shareLedger.js';
import type { ChunkSlab } from '../metrics/seqSet.js';
import { parseShared, topicMatches } from '../mqtt/topic.js';
import type { QoS } from '../scenario/model.js';

const ONLY_FIRST: readonly number[] = [0];
const MAX_CACHED_TOPICS = 10_000;

/** One client's ledger and what it knows about its filters. */
/**
 * What the ledger reads of a device (device.ts): its filters and, per filter, the granted QoS and the windows
 * in which publishers counted it (since/until) or a copy may come through anyway (asked/released).
 */
export interface SubscribedDevice {
  readonly filters: string[];
  readonly granted: QoS[];
  readonly since: number[];
  readonly until: number[];
  readonly asked: number[];
  readonly released: number[];
}

export class DeviceArrivals {
  readonly ledger: ArrivalLedger;
  private readonly shared: (ShareTarget | null)[];
  private readonly plain: string[];
  private matches: Map<string, number[]> | null = null;
  private readonly scratch: ShareTarget[] = [];

  constructor(
    private readonly dev: SubscribedDevice,
    slab: ChunkSlab,
    shares: ShareLedger,
  ) {
    this.ledger = new ArrivalLedger(slab);
    this.shared = dev.filters.map((f, k) => (f.startsWith('$share/') ? shares.target(f, k) : null));
    this.plain = dev.filters.map((f) => parseShared(f)?.filter ?? f);
  }

  /** The QoS class the last arrival counts under: the QoS it arrived with, capped at the one publishers counted. */
  qos: QoS = 0;
  /** The QoS publishers counted the last arrival under (-1: none of its subscriptions was counted). */
  countedQos = -1;

  arrive(topic: string, publisher: number, seq: number, publishQos: QoS, sentMs: number, arrivedQos: QoS): Arrival {
    const dev = this.dev;
    const ks = dev.filters.length === 1 ? ONLY_FIRST : this.matching(topic);
    let copies = 0; // own subscriptions a copy may come through
    let owedQos = -1; // the highest QoS among those publishers counted (-1: none owes a copy)
    let countedQos = -1;
    let nShares = 0;
    for (let n = 0; n < ks.length; n++) {
      const k = ks[n];
      const counted = sentMs >= (dev.since[k] ?? Infinity) && sentMs <= (dev.until[k] ?? Infinity);
      // A subscription being made (SUBSCRIBE sent, no SUBACK yet) or ended (until, no UNSUBACK yet) may bring a copy too.
      if (!counted && !(sentMs >= (dev.asked[k] ?? Infinity) && sentMs <= (dev.released[k] ?? dev.until[k] ?? Infinity))) continue;
      const q = Math.min(publishQos, filterQos(dev, k));
      if (counted && q > countedQos) countedQos = q;
      const share = this.shared[k];
      if (share !== null) {
        if (counted) this.scratch[nShares++] = share;
      } else {
        copies++;
        if (counted && q > owedQos) owedQos = q;
      }
    }
    this.countedQos = countedQos;
    this.qos = (countedQos >= 0 && arrivedQos > countedQos ? countedQos : arrivedQos) as QoS;
    return this.ledger.arrive(publisher, seq, copies, owedQos >= 0, arrivedQos >= owedQos, this.scratch, nShares);
  }

  /** Indices of the filters matching a topic (cached per topic). */
  private matching(topic: string): number[] {
    this.matches ??= new Map();
    let ks = this.matches.get(topic);
    if (ks === undefined) {
      ks = [];
      for (let k = 0; k < this.plain.length; k++) if (topicMatches(this.plain[k], topic)) ks.push(k);
      if (this.matches.size >= MAX_CACHED_TOPICS) this.matches.clear();
      this.matches.set(topic, ks);
    }
    return ks;
  }
}

/** The QoS a client's k-th subscription delivers at (before the publish QoS caps it): what SUBACK granted. */
export function filterQos(dev: SubscribedDevice, k: number): QoS {
  return dev.granted[k];
}
