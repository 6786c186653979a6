import type { FromWorker, ToWorker } from '../coordinator/protocol.js';
import { SessionEnded, type Driver } from '../driver/driver.js';
import { Connector } from './connector.js';
import type { Receivable } from '../metrics/ledger.js';
import { scheduleEvents, scheduleSubscriptions } from './events.js';
import { RetainedTopics } from './retained.js';
import { RateProfile } from '../plan/profile.js';
import { Recorder, type SelfCheck } from '../metrics/recorder.js';
import type { SeqBitmap } from '../metrics/seqBitmap.js';
import type { ShareLedger } from '../metrics/shareLedger.js';
import { AwayLog, type SessionBoard } from '../metrics/sessions.js';
import type { Phase } from '../metrics/types.js';
import type { WorkerPlan } from '../plan/plan.js';
import { TimelineCell, timelineOf } from '../plan/timeline.js';
import type { Clock } from '../shared/clock.js';
import { groupPublishRate, isClosedLoop } from '../scenario/model.js';
import { Device } from './device.js';
import { clientIdOf, compileGroupNames, filtersOf, willTopicOf, willTopics } from './naming.js';
import { RuleIndex } from './ruleIndex.js';
import { subscriptionRules } from './subscriptionRules.js';
import { Gate } from './gate.js';
import { Pacer } from './pacer.js';
import { Publisher } from './publisher.js';
import { Receiver } from './receiver.js';

export interface RunnerDeps {
  plan: WorkerPlan;
  driver: Driver;
  clock: Clock;
  send: (msg: FromWorker) => void;
  /** Shared across threads: which clients can receive right now (see Receivable). */
  receivable: Receivable;
  /** Shared across threads: which messages reached at least one subscriber (see SeqBitmap). */
  delivered: SeqBitmap;
  /** Shared across threads: `$share` group records and the session board (receive-side ledger). */
  shares: ShareLedger;
  sessions: SessionBoard;
  selfCheck: () => SelfCheck;
  /** Called once the final snapshot is sent: the thread may end. */
  onFinished: () => void;
}

const SNAPSHOT_MS = 1000;
/**
 * Connection handshakes (TCP + CONNACK + SUBACK) in flight per worker at most: mosquitto's listen backlog
 * (100), so a connect storm faster than the broker accepts queues here instead of losing SYNs to 1 s
 * retransmissions (the 1 s / 3 s connect-latency tail of bench figure (e)). Connects past it wait their
 * turn; latency `connect` counts from the attempt, `connectFromSlot` from the paced slot. It caps a worker at 100 ÷ handshake time (a broker 50 ms
 * away: 2,000 connects/s per worker): a scenario option is the follow-up.
 */
const HANDSHAKES_IN_FLIGHT = 100;

/** Everything one worker thread does, free of worker_threads so it can be tested in-process. */
export class WorkerRunner {
  private readonly recorder: Recorder;
  private readonly devices: Device[][]; // per slice, indexed by (i - slice.first)
  private readonly receiver: Receiver;
  private readonly connector: Connector;
  private publisher: Publisher | null = null;
  private away: AwayLog | null = null;
  private index: RuleIndex | null = null;
  private pacer: Pacer | null = null;
  private readonly handshakes = new Gate(HANDSHAKES_IN_FLIGHT);
  /** Not started until the coordinator's `start`; the recorder, receiver and publisher read this one. */
  private readonly timeline = new TimelineCell();
  private snapshotTimer: unknown = null;
  private eventTimers: unknown[] = [];
  private stopping = false;

  constructor(private readonly d: RunnerDeps) {
    const { plan } = d;
    this.recorder = new Recorder(plan.workerIndex, this.timeline);
    this.devices = plan.slices.map((s) => {
      const g = plan.scenario.groups[s.groupIndex];
      const names = compileGroupNames(plan.scenario, g);
      return Array.from({ length: s.count }, (_, k) => {
        const i = s.first + k;
        const filters = filtersOf(names, g, i, plan.runId);
        const slot = plan.slotBase[s.groupIndex] + i * filters.length;
        const dev = new Device(s.groupIndex, g, names, i, plan.clientBase[s.groupIndex] + i, clientIdOf(names, g, i, plan.runId), filters, slot);
        dev.willTopic = willTopicOf(names, g, i, plan.runId);
        return dev;
      });
    });
    this.receiver = new Receiver(d.clock, this.recorder, plan.runTag, d.delivered, d.shares, this.timeline);
    this.receiver.headerless = plan.scenario.groups.some((g) => g.publish?.payload.header === false);
    this.receiver.wills = willTopics(plan.scenario, plan.runId);
    this.connector = new Connector(d.driver, d.clock, this.recorder, this.receiver, plan.scenario.target, d.receivable, plan.offers);
    this.connector.sessions = d.sessions;
    this.connector.onAbrupt = (dev) => this.willOwed(dev);
  }

  handle(msg: ToWorker): void {
    switch (msg.type) {
      case 'connect':
        return void this.connectAll(msg.at);
      case 'start':
        return this.start(msg.t0);
      case 'progress?':
        return this.d.send({ type: 'progress', workerIndex: this.d.plan.workerIndex, progress: this.progress() });
      case 'quiesce':
        return this.publisher?.stop(this.devices.flat());
      case 'stop':
        return void this.stop();
    }
  }

  private async connectAll(at: number): Promise<void> {
    const { plan, clock } = this.d;
    this.scheduleSnapshots(at);
    const pending: Promise<boolean>[] = [];
    this.pacer = new Pacer(
      clock,
      plan.slices.map((s) => {
        const g = plan.scenario.groups[s.groupIndex];
        return { groupCount: g.count, first: s.first, count: s.count, rate: g.connect.rate, t0: at, endAt: Infinity, cycles: 1 };
      }),
      (si, i, _seq, dueMs) => {
        const dev = this.devices[si][i - plan.slices[si].first];
        pending.push(this.handshakes.run(() => this.connector.connect(dev, dueMs)));
      },
      { precise: false }, // connections need no sub-ms pacing: no helper thread for a worker that only connects
    );
    this.pacer.start();
    await this.pacer.done;
    await Promise.all(pending);
    if (this.stopping) return;
    // Connection results go out before 'connected', so the coordinator can judge the phase.
    this.d.send({ type: 'snapshot', snapshot: this.snapshot() });
    this.d.send({ type: 'connected', workerIndex: plan.workerIndex });
  }

  private start(t0: number): void {
    const { plan, clock } = this.d;
    const sc = plan.scenario;
    const timeline = timelineOf(sc, t0); // the coordinator's, from the same t0
    this.timeline.start(timeline);
    const endAt = timeline.measureEnd;
    // Snapshot ticks follow publishing seconds from here on: row t covers (t-1, t].
    if (this.snapshotTimer !== null) clock.clearTimeout(this.snapshotTimer);
    this.scheduleSnapshots(t0);
    const index = (this.index = new RuleIndex(subscriptionRules(sc, plan.slotBase, plan.runId)));
    index.away = this.away = new AwayLog(this.d.sessions, this.recorder);
    const profile = sc.stages ? new RateProfile(sc.stages) : undefined;
    const publishing = plan.slices.map((s, si) => ({ s, si })).filter(({ s }) => sc.groups[s.groupIndex].publish && !isClosedLoop(sc.groups[s.groupIndex]));
    this.connector.onBack = (dev) => this.publisher?.release(dev);
    this.publisher = new Publisher(clock, this.recorder, index, this.d.receivable, plan.runTag, plan.runId, timeline, this.d.delivered);
    const devices = this.devices.flat();
    const retained = new RetainedTopics(sc, plan.runId, t0, endAt, plan.offers);
    this.eventTimers = [
      ...scheduleEvents(sc.events, t0, clock, devices, this.connector, this.publisher),
      ...scheduleSubscriptions(devices, t0, clock, this.connector, retained, this.recorder),
    ];
    this.pacer = new Pacer(
      clock,
      publishing.map(({ s }) => {
        const g = sc.groups[s.groupIndex];
        return {
          groupCount: g.count,
          first: s.first,
          count: s.count,
          rate: groupPublishRate(g),
          t0,
          endAt,
          cycles: Infinity,
          giveUpAt: timeline.giveUpAt,
          measureFrom: timeline.measureFrom,
          profile,
        };
      }),
      (k, i, seq, due) => {
        const { s, si } = publishing[k];
        this.publisher!.publish(this.devices[si][i - s.first], seq, due);
      },
      {},
      (_k, slots, measured) => this.publisher!.missed(slots, measured),
    );
    this.pacer.start();
    void Promise.all([this.pacer.done, this.closedLoop(t0, endAt)]).then(() => {
      if (this.stopping) return;
      this.d.send({ type: 'published', workerIndex: plan.workerIndex });
    });
  }

  /** Closed-loop devices (rate: max) start filling their windows at t0; resolves when their publishing window ends. */
  private closedLoop(t0: number, endAt: number): Promise<void> {
    const sc = this.d.plan.scenario;
    const devices = this.devices.flat().filter((dev) => isClosedLoop(sc.groups[dev.groupIndex]));
    if (devices.length === 0) return Promise.resolve();
    const { clock } = this.d;
    this.eventTimers.push(clock.setTimeout(() => this.publisher?.startClosedLoop(devices), Math.max(0, t0 - clock.now())));
    return new Promise((resolve) => this.eventTimers.push(clock.setTimeout(resolve, Math.max(0, endAt - clock.now()))));
  }

  /** The device's connection ended without DISCONNECT: its will is owed to the subscriptions matching its topic now. */
  private willOwed(dev: Device): void {
    const will = dev.group.connect.will;
    if (!will || dev.willTopic === undefined || !this.index) return;
    const [e0, e1, e2] = this.index.expectedFor(dev.willTopic, will.qos, this.d.receivable, false);
    if (e0 > 0) this.recorder.count('willsExpectedQos0', true, e0);
    if (e1 + e2 > 0) this.recorder.count('willsExpected', true, e1 + e2);
  }

  private progress() {
    let inflight = 0;
    for (const ds of this.devices) for (const d of ds) inflight += (d.conn?.inflight() ?? 0) + d.backlog.size;
    this.away?.resolve(this.d.clock.now(), false);
    const settled = this.away?.settledMeasured ?? 0; // expected deliveries found not entitled since
    return { expected: (this.publisher?.expectedMeasured ?? 0) - settled, uniqueReceived: this.receiver.uniqueMeasured, inflight };
  }

  private scheduleSnapshots(origin: number): void {
    const { clock } = this.d;
    let n = 1;
    const tick = () => {
      if (this.stopping) return;
      this.d.send({ type: 'snapshot', snapshot: this.snapshot() });
      n++;
      this.snapshotTimer = clock.setTimeout(tick, Math.max(0, origin + n * SNAPSHOT_MS - clock.now()));
    };
    this.snapshotTimer = clock.setTimeout(tick, Math.max(0, origin + SNAPSHOT_MS - clock.now()));
  }

  /**
   * Phases follow the shared timeline, so every worker labels an interval the same way; an
   * interval is labelled by the phase at its midpoint.
   */
  private phase(): Phase {
    if (this.stopping) return 'close';
    return this.timeline.current.phaseAt(this.d.clock.now() - SNAPSHOT_MS / 2);
  }

  private snapshot() {
    this.away?.resolve(this.d.clock.now(), this.stopping); // deliveries to away sessions whose outcome is known
    // Polling for a slot keeps the event loop "active" although the thread only waited: not busy.
    const check = this.d.selfCheck();
    const spun = this.pacer?.takeSpunMs() ?? 0;
    return this.recorder.snapshot(this.d.clock, this.phase(), this.connector.open, { ...check, busyMs: Math.max(0, check.busyMs - spun) });
  }

  private async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.pacer?.stop();
    this.connector.stop();
    for (const t of this.eventTimers) this.d.clock.clearTimeout(t);
    if (this.snapshotTimer !== null) this.d.clock.clearTimeout(this.snapshotTimer);
    const devices = this.devices.flat();
    // Slots still waiting for room are unsent before anything closes (nothing more is written).
    this.publisher?.stop(devices);
    const closing: Promise<void>[] = [];
    for (const dev of devices) if (dev.conn) closing.push(dev.conn.end());
    await Promise.all(closing);
    const ended = new SessionEnded('the run ended before the ack');
    for (const dev of devices) dev.session?.abandon(ended);
    const unacked = this.publisher?.finish();
    this.d.send({ type: 'final', snapshot: this.snapshot(), ...(unacked && unacked.length > 0 ? { unacked } : {}) });
    this.d.onFinished();
  }
}
