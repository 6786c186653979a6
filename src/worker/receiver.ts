import type { Recorder } from '../metrics/recorder.js';
import { qosKey } from '../metrics/types.js';
import type { TimelineView } from '../plan/timeline.js';
import type { Clock } from '../shared/clock.js';
import type { Device } from './device.js';
import { decodeAnyRun, decodePayload, responsePayload } from './payload.js';
import type { MessageMeta } from '../driver/driver.js';
import type { QoS } from '../scenario/model.js';
import type { SeqBitmap } from '../metrics/seqBitmap.js';
import { ChunkSlab } from '../metrics/seqSet.js';
import type { ShareLedger } from '../metrics/shareLedger.js';
import { DeviceArrivals } from './arrivals.js';

/** The per-QoS duplicate counter keys, made once (a key built per message showed in receive profiles). */
const DUPLICATED = [qosKey(0, 'Duplicated'), qosKey(1, 'Duplicated'), qosKey(2, 'Duplicated')] as const;

/** A payload header of this run (what decodePayload found). */
type DecodedHeader = NonNullable<ReturnType<typeof decodePayload>>;

/**
 * Handles every delivery: checks the header and the client's ledger (exact duplicates over the whole
 * run, per stream and per `$share` group), and records end-to-end latency. Each delivery counts under
 * the QoS it arrived with.
 */
export class Receiver {
  /** Measured deliveries that were not duplicates, cumulative (drain progress). */
  uniqueMeasured = 0;
  /** Some group publishes without the header: deliveries without one are counted as receivedNoHeader, not foreign. */
  headerless = false;
  /** Will topic → will payload of every client with a last will (all threads'), when some group has one. */
  wills: Map<string, Buffer> | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly recorder: Recorder,
    private readonly runTag: number,
    /** Run-wide: set on the first delivery of each message to any subscriber of this process. */
    private readonly delivered: SeqBitmap,
    /** The run's `$share` group records (shared by every thread). */
    private readonly shares: ShareLedger,
    /**
     * Messages intended before its measureFrom belong to warm-up; arrivals outside [measureFrom, measureEnd)
     * do not count toward the achieved rate. NOT_STARTED (nothing measured) until publishing starts.
     */
    private readonly timeline: TimelineView,
    /** This thread's ledger memory (one budget for all its clients' streams). */
    readonly slab = new ChunkSlab(),
  ) {}

  /**
   * The run's header of a message the ledger judges, or null for one counted here instead: a will, a foreign or
   * header-less payload, a response to our own request, or a retained copy.
   */
  private ledgerHeader(dev: Device, topic: string, payload: Buffer, retained: boolean, now: number, meta?: MessageMeta): DecodedHeader | null {
    const rec = this.recorder;
    if (this.wills !== null && !retained && this.wills.get(topic)?.equals(payload)) {
      rec.count('willsReceived', true);
      return null;
    }
    const h = decodePayload(payload, this.runTag, now);
    if (!h) {
      if (dev.group.fromOtherRuns === true && this.otherRun(payload, now)) return null;
      rec.count(this.headerless ? 'receivedNoHeader' : 'foreign', true);
      return null;
    }
    if (h.response) {
      // A responder's answer to one of our requests: the request's own header came back.
      const measured = h.intendedMs >= this.timeline.current.measureFrom;
      rec.count('responsesReceived', measured);
      rec.latency('requestResponse', now - h.intendedMs, measured);
      return null;
    }
    if (dev.group.respond && meta?.responseTopic && meta.correlationData) this.respond(dev, h.qos, meta.responseTopic, meta.correlationData);
    if (retained) {
      // A stored message handed to a new subscription: checked against the retained count, kept
      // out of the latency figures (it was published long before this subscriber asked).
      rec.count('retainedReceived', true);
      return null;
    }
    return h;
  }

  onMessage(dev: Device, topic: string, payload: Buffer, arrivedQos: QoS, retained: boolean, meta?: MessageMeta): void {
    const now = this.clock.now();
    const h = this.ledgerHeader(dev, topic, payload, retained, now, meta);
    if (!h) return;
    const rec = this.recorder;
    const tl = this.timeline.current;
    const measured = h.intendedMs >= tl.measureFrom;
    if (!dev.wasExpected(topic, h.sentMs)) {
      rec.count('unexpected', measured);
      return;
    }
    const ledger = (dev.ledger ??= new DeviceArrivals(dev, this.slab, this.shares));
    const arrival = ledger.arrive(topic, h.publisher, h.seq, h.qos, h.sentMs, arrivedQos);
    const q = ledger.qos;
    this.delivered.testAndSet(h.publisher, h.seq);
    if (arrival === 'extra' || arrival === 'unverifiable') {
      // Not in `received`: a further copy MQTT allows, or one the ledger could not check (never "new").
      rec.count(arrival === 'extra' ? 'extraCopies' : 'unverifiable', measured);
      return;
    }
    if (arrivedQos < ledger.countedQos) rec.count('arrivedBelowQos', measured); // a capability the broker did not keep (capabilities.ts)
    const duplicate = arrival === 'duplicate';
    // received, receivedInWindow and, for a first copy, unique / out of order by class q: one call.
    rec.receivedMessage(measured, now >= tl.measureFrom && now < tl.measureEnd, !duplicate, q, arrival === 'outOfOrder');
    if (duplicate) {
      rec.count('duplicated', measured);
      rec.count(DUPLICATED[q], measured);
      return;
    }
    if (measured) {
      this.uniqueMeasured++;
      rec.intendedSecond(h.intendedMs, 0, 1);
      ledger.ledger.lastShare?.measured?.(h.publisher, h.seq, q);
    }
    if (arrival === 'new') ledger.ledger.noteNewest(h.intendedMs); // the stream's horizon (metrics/tail.ts)
    rec.latency('endToEnd', now - h.intendedMs, measured);
    rec.latency('endToEndUncorrected', now - h.sentMs, measured);
  }

  /**
   * A message of another mqbench run (another process) to a group with fromOtherRuns: timed from its intended and
   * actual send times, counted as otherRuns, never judged by this run's ledger (it planned nothing of it).
   */
  private otherRun(payload: Buffer, now: number): boolean {
    const h = decodeAnyRun(payload);
    if (!h || h.response) return false;
    const tl = this.timeline.current;
    const measured = now >= tl.measureFrom && now < tl.measureEnd; // arrivals inside this run's measured window
    this.recorder.count('otherRuns', measured);
    if (measured) this.recorder.count('receivedInWindow', true); // the receive rate is of every arrival it times
    this.recorder.latency('endToEnd', now - h.intendedMs, measured);
    this.recorder.latency('endToEndUncorrected', now - h.sentMs, measured);
    return true;
  }

  /** A responder answers on the request's response topic with its correlation data (the request's header). */
  private respond(dev: Device, qos: QoS, topic: string, correlationData: Buffer): void {
    const body = responsePayload(correlationData);
    if (!body || !dev.conn) return;
    dev.conn.publish(topic, body, qos, false, () => {}, { correlationData });
    this.recorder.count('responsesSent', true);
  }
}
