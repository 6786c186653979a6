import { parseShared, topicMatches } from '../mqtt/topic.js';
import { groupPublishRate, type Scenario } from '../scenario/model.js';
import { OFFERS_ALL, type BrokerOffers } from '../metrics/capabilities.js';
import { compileGroupNames } from './naming.js';

/** Topics of one cycle are enough: beyond that a group publishes to topics it used before. */
const MAX_SLOTS = 100_000;

/**
 * How many retained messages a subscription made now should receive: one per distinct topic that
 * a `retain: true` group has published to so far (derived from the open-model schedule, so every
 * thread agrees without asking the publishers). Shared subscriptions get none (MQTT 5 §4.8.2).
 */
export class RetainedTopics {
  private cache = new Map<string, Set<string>>();

  constructor(
    private readonly scenario: Scenario,
    private readonly run: string,
    private readonly t0: number,
    private readonly endAt: number,
    private readonly offers: BrokerOffers = OFFERS_ALL,
  ) {}

  /** Whether the broker delivers retained messages to `filter` (not to wildcard filters, when the probe found so). */
  offeredTo(filter: string): boolean {
    return this.offers.retainedToWildcards || !(filter.includes('+') || filter.includes('#'));
  }

  expectedFor(filter: string, now: number): number {
    if (parseShared(filter)) return 0;
    let n = 0;
    for (const topic of this.topicsSoFar(now)) if (topicMatches(filter, topic)) n++;
    return n;
  }

  private topicsSoFar(now: number): Set<string> {
    const key = String(Math.floor(now));
    const hit = this.cache.get(key);
    if (hit) return hit;
    const topics = new Set<string>();
    for (const g of this.scenario.groups) {
      const p = g.publish;
      if (!p?.retain) continue;
      const until = Math.min(now, this.endAt - 1e-9);
      const slots = until < this.t0 ? 0 : Math.floor(((until - this.t0) * groupPublishRate(g)) / 1000) + 1;
      const names = compileGroupNames(this.scenario, g);
      const from = Math.max(0, slots - Math.min(MAX_SLOTS, g.count * Math.max(1, names.targetCount)));
      for (let k = from; k < slots; k++) {
        const i = k % g.count;
        const target = names.targetCount > 0 ? k % names.targetCount : 0;
        topics.add(
          names.publishTopic!.render({
            i,
            group: g.name,
            run: this.run,
            clientId: names.clientId.render({ i, group: g.name, run: this.run }),
            seq: Math.floor(k / g.count),
            target,
          }),
        );
      }
    }
    this.cache.clear();
    this.cache.set(key, topics);
    return topics;
  }
}
