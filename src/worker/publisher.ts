import type { Receivable } from '../metrics/ledger.js';
import type { DeliveryIndex } from './ruleIndex.js';
import type { Recorder } from '../metrics/recorder.js';
import type { SeqBitmap } from '../metrics/seqBitmap.js';
import { UnackedLog } from '../metrics/unacked.js';
import type { Timeline } from '../plan/timeline.js';
import type { Clock } from '../shared/clock.js';
import { LATE_SEND_MS, MAX_BACKLOG } from '../shared/constants.js';
import type { QoS } from '../scenario/model.js';
import type { Device } from './device.js';
import { NotSent, SessionEnded, type AckKind, type Connection } from '../driver/driver.js';
import { MessageBuilder } from './message.js';
import { OpenList, Outgoing } from './outgoing.js';
import { Qos0Queue, type Qos0Message } from './qos0Queue.js';
import { inflightWindow, qosOf } from './slot.js';

const NOTHING_EXPECTED = [0, 0, 0, 0] as const;

/** What settling a message that was not written, or refused, reads of it (an Outgoing, or a QoS 0 queue's record). */
interface Unsettled {
  readonly dueMs: number;
  readonly sentMs: number;
  readonly measured: boolean;
  readonly e0: number;
  readonly e1: number;
  readonly e2: number;
}

/**
 * Sends scheduled messages: stamps the header, counts what the plan expects to be delivered, and
 * accounts for every slot: planned = sent + missed + unsent (see README "What the counts mean").
 * QoS 1/2 publishes keep an in-flight window per client, as well-behaved clients do (brokers
 * may drop what exceeds their quota: mosquitto silently discards QoS 2 from MQTT 3.1.1 clients
 * past `max_inflight_messages`); a full socket makes every QoS wait. Slots that wait for room leave
 * late: their wait is inside the corrected latency, which is measured from the slot's time; those
 * still waiting when the run ends are unsent, with their wait in latency `unsentWait`.
 */
export class Publisher {
  /** Deliveries expected for measured messages, cumulative (drain progress). */
  expectedMeasured = 0;
  private readonly message: MessageBuilder;
  /** QoS 1/2 messages handed to a connection and not settled yet. */
  private readonly open = new OpenList();
  private readonly unacked: UnackedLog;
  private stopped = false;
  private releasing: Device | null = null;
  private readonly measureFrom: number;
  private readonly measureEnd: number;

  // eslint-disable-next-line max-params -- debt: 9 constructor dependencies; take a deps object
  constructor(
    private readonly clock: Clock,
    private readonly recorder: Recorder,
    private readonly index: DeliveryIndex,
    private readonly receivable: Receivable,
    private readonly runTag: number,
    run: string,
    /** The run's, started: a slot due before measureFrom is warm-up; sends in [measureFrom, measureEnd) are in the window. */
    timeline: Timeline,
    delivered: SeqBitmap,
  ) {
    this.measureFrom = timeline.measureFrom;
    this.measureEnd = timeline.measureEnd;
    this.unacked = new UnackedLog(delivered, recorder);
    this.message = new MessageBuilder(runTag, run);
  }

  /** Groups whose publishing is paused by an event: their slots are skipped. */
  readonly paused = new Set<number>();

  /** A slot is due: send it now, queue it behind a full window or socket, or count it unsent. */
  publish(dev: Device, seq: number, dueMs: number): void {
    if (this.paused.size > 0 && this.paused.has(dev.groupIndex)) return;
    const measured = dueMs >= this.measureFrom;
    this.recorder.planned(measured);
    const conn = dev.conn;
    if (!conn || this.stopped) return this.failed(measured);
    if (dev.backlog.size > 0 || !this.canSend(dev, conn, qosOf(dev, seq))) {
      if (dev.backlog.size >= MAX_BACKLOG) this.failed(measured);
      else dev.backlog.push(seq, dueMs);
      return;
    }
    this.send(dev, seq, dueMs, false);
  }

  /** Unsent at once (not connected, backlog full): also a publish error, as it always was. */
  private failed(measured: boolean): void {
    this.recorder.unsentAtOnce(measured);
  }

  /** Slots the generator gave up on (it stayed too far behind): planned, and missed. */
  missed(slots: number, measured: number): void {
    // Slots of the warm-up count outside the measured window, like every other warm-up slot.
    for (const [n, inWindow] of [
      [measured, true],
      [slots - measured, false],
    ] as const) {
      if (n <= 0) continue;
      this.recorder.count('planned', inWindow, n);
      this.recorder.count('missedSends', inWindow, n);
    }
  }

  /** Room for a message of this QoS: the socket takes more, and for QoS 1/2 the in-flight window is not full. */
  private canSend(dev: Device, conn: Connection, qos: QoS): boolean {
    if (!conn.writable()) return false;
    if (qos === 0) return true;
    const window = inflightWindow(dev.group.publish!, conn);
    if (window > this.recorder.inflightWindow) this.recorder.inflightWindow = window;
    return conn.inflight() < window;
  }

  private send(dev: Device, seq: number, dueMs: number, waited: boolean): void {
    const measured = dueMs >= this.measureFrom;
    const rec = this.recorder;
    const p = dev.group.publish!;
    const qos = qosOf(dev, seq);
    const topic = this.message.topic(dev, seq);
    const sentMs = this.clock.now();
    const conn = dev.conn!;
    const payload = this.message.payload(dev, seq, qos, dueMs, sentMs, conn.copiesPayload === true);
    // Without the header no delivery can be checked: the ledger expects nothing of a header-less message.
    const [e0, e1, e2, notOffered] = dev.names.raw ? NOTHING_EXPECTED : this.index.expectedFor(topic, qos, this.receivable);
    if (!dev.names.raw) this.index.away?.settle(dueMs, measured); // deliveries counted for away sessions (metrics/sessions.ts)
    if (notOffered > 0) rec.count('notOffered', measured, notOffered);
    const expected = e0 + e1 + e2;
    const late = sentMs - dueMs > LATE_SEND_MS;
    rec.sentMessage(measured, sentMs >= this.measureFrom && sentMs < this.measureEnd, late, e0, e1, e2);
    if (waited && late) rec.waitedSend(measured);
    if (measured) {
      this.expectedMeasured += expected;
      rec.intendedSecond(dueMs, expected, 0);
    }
    const props = this.message.props(dev, payload);
    if (qos === 0) {
      // No object per message: the device's queue for this connection holds its accounting (qos0Queue.ts).
      let q = dev.q0;
      if (q === null || q.conn !== conn) q = dev.q0 = new Qos0Queue(dev, conn, this.settle0);
      q.push(dueMs, sentMs, e0, e1, e2);
      q.publishing = true;
      conn.publish(topic, payload, 0, p.retain, q.done, props);
      q.publishing = false;
      return;
    }
    const o = new Outgoing(dev, seq, qos, dueMs, sentMs, measured, e0, e1, e2, this.settle);
    this.open.add(o);
    conn.publish(topic, payload, qos, p.retain, o.done, props);
  }

  /** The driver's verdict on one QoS 0 message (`m`: read before anything else is sent). */
  private readonly settle0 = (q: Qos0Queue<Device>, m: Qos0Message, err?: Error): void => {
    if (err) {
      m.measured = m.dueMs >= this.measureFrom;
      this.notDone(m, err);
    }
    this.release(q.dev);
  };

  /** The driver's verdict on one message (exactly once per message; see Connection.publish). */
  private readonly settle = (o: Outgoing, err?: Error, ack?: AckKind): void => {
    if (o.settled) return;
    o.settled = true;
    if (o.qos > 0) this.open.remove(o);
    const rec = this.recorder;
    if (!err) {
      if (o.qos > 0) {
        rec.count('acked', o.measured);
        if (o.qos === 2 && ack === 'puback') rec.count('pubQos2AsQos1', o.measured); // the broker ran it as QoS 1
        rec.latency('publishAck', this.clock.now() - o.sentMs, o.measured);
      }
    } else if (err instanceof SessionEnded) {
      // Written, never acknowledged: whether the broker had it is settled at the end (did anyone receive it?).
      if (o.measured) this.expectedMeasured -= o.e0 + o.e1 + o.e2;
      this.unacked.add(o.dev.global, o.seq, o.e0, o.e1, o.e2, o.dueMs, o.measured);
    } else this.notDone(o, err);
    this.release(o.dev);
  };

  /** A message that never reached the kernel (NotSent), or was refused. */
  private notDone(o: Unsettled, err: Error): void {
    const rec = this.recorder;
    if (err instanceof NotSent) {
      // Never reached the kernel: unsent after all, and it waited (in the socket) until its connection ended.
      rec.count('notWritten', o.measured);
      if (o.sentMs >= this.measureFrom && o.sentMs < this.measureEnd) rec.count('sentInWindow', true, -1);
      this.waitedToEnd(o.dueMs, o.measured);
      this.withdraw('Unsent', o);
    } else {
      rec.count('refused', o.measured);
      rec.count('publishErrors', o.measured);
      rec.problem(`publish: ${err.message}`); // MQTT 5 PUBACK/PUBREC reason codes by name
      this.withdraw('Refused', o);
    }
  }

  private withdraw(why: 'Unsent' | 'Refused', o: Unsettled): void {
    if (o.measured) this.expectedMeasured -= o.e0 + o.e1 + o.e2;
    this.recorder.withdraw(why, o.measured, o.e0, o.e1, o.e2, o.dueMs);
  }

  /** A message that waited for room until the run (or its connection) ended: how many, and how long. */
  private waitedToEnd(dueMs: number, measured: boolean): void {
    this.recorder.waitedToEnd(measured, this.clock.now() - dueMs);
  }

  /** An ack or a drained socket made room, or the device is connected again: send what waits, oldest first. */
  release(dev: Device): void {
    // Not re-entered: a driver that settles a publish inside publish() (e.g. NotSent) would nest one call per slot.
    if (this.stopped || this.releasing === dev) return;
    // The common case (a QoS 0 message written, nothing waiting): nothing to do.
    if (dev.backlog.size === 0 && dev.group.publish?.rate.kind !== 'max') return;
    const outer = this.releasing;
    this.releasing = dev;
    try {
      const b = dev.backlog;
      while (b.size > 0 && dev.conn && this.canSend(dev, dev.conn, qosOf(dev, b.peekSeq()))) {
        const seq = b.peekSeq();
        const due = b.peekDue();
        b.drop();
        this.send(dev, seq, due, true);
      }
      if (dev.group.publish?.rate.kind === 'max') this.fill(dev);
    } finally {
      this.releasing = outer;
    }
  }

  /**
   * Closed loop (rate: max): sends the device's next messages while its window has room, until the publishing
   * window ends. Each is planned and due when it is sent (there is no schedule to fall behind).
   */
  private fill(dev: Device): void {
    if (this.paused.has(dev.groupIndex) || !this.closedFrom) return;
    for (
      let now = this.clock.now();
      now < this.measureEnd && now >= this.closedFrom && dev.conn && this.canSend(dev, dev.conn, qosOf(dev, dev.nextSeq));
      now = this.clock.now()
    ) {
      this.recorder.planned(now >= this.measureFrom);
      this.send(dev, dev.nextSeq++, now, false);
    }
  }

  /** When closed-loop publishing began (0 before): set by startClosedLoop. */
  private closedFrom = 0;

  /** Publishing starts for the closed-loop devices (rate: max): each fills its window. */
  startClosedLoop(devices: Iterable<Device>): void {
    this.closedFrom = this.clock.now();
    for (const dev of devices) this.release(dev);
  }

  /** The run ends (before connections close): nothing more is sent; slots still waiting are unsent. */
  stop(devices: Iterable<Device>): void {
    this.stopped = true;
    const rec = this.recorder;
    const now = this.clock.now();
    for (const dev of devices) {
      const b = dev.backlog;
      for (; b.size > 0; b.drop()) {
        const due = b.peekDue();
        rec.unsentAtEnd(due >= this.measureFrom, now - due);
      }
    }
  }

  /**
   * After the connections closed (and sessions were abandoned): QoS 1/2 messages the driver never settled
   * count as unacknowledged too. Returns the unacknowledged ones for the coordinator to settle.
   */
  finish(): Float64Array {
    const ended = new SessionEnded('the run ended before the ack');
    for (let o = this.open.first(); o; o = this.open.first()) this.settle(o, ended);
    return this.unacked.take();
  }
}
