/**
 * Worker thread entry: the only worker-side file that imports worker_threads. It wires the
 * thread's message port to a WorkerRunner and supplies the self-check (event-loop delay and
 * event-loop utilisation, i.e. how busy this thread's CPU was).
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { FromWorker, ToWorker, WorkerInit } from '../coordinator/protocol.js';
import { driverByName } from '../driver/registry.js';
import { warmHistogramCodec } from '../metrics/histogram.js';
import { systemClock } from '../shared/clock.js';
import { startPreciseTimer } from '../shared/preciseTimer.js';
import { WorkerRunner } from './runner.js';
import { SeqBitmap } from '../metrics/seqBitmap.js';
import { ShareLedger } from '../metrics/shareLedger.js';
import { SessionBoard } from '../metrics/sessions.js';

const port = parentPort!;
const init = workerData as WorkerInit;
const send = (msg: FromWorker) => port.postMessage(msg);

const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
let elu = performance.eventLoopUtilization();

function selfCheck() {
  const now = performance.eventLoopUtilization();
  const d = performance.eventLoopUtilization(now, elu);
  elu = now;
  const out = {
    eventLoopDelayMaxMs: delay.max / 1e6,
    eventLoopDelayP99Ms: delay.count > 0 ? delay.percentile(99) / 1e6 : 0,
    // Busy time of this thread's event loop over the interval: its CPU share.
    busyMs: d.active,
    intervalMs: d.idle + d.active,
  };
  delay.reset();
  return out;
}

// The pacer's sub-millisecond wake-ups: a helper thread that sleeps until the next slot (src/shared/preciseTimer.ts).
const precise = startPreciseTimer(Worker, () => systemClock.now());

try {
  const runner = new WorkerRunner({
    plan: init.plan,
    driver: driverByName(init.driver),
    receivable: new Uint8Array(init.receivable),
    delivered: new SeqBitmap(init.plan.seqLayout, init.delivered),
    shares: new ShareLedger(init.ledger.shares, init.plan.seqLayout),
    sessions: new SessionBoard(init.ledger.sessions),
    clock: { ...systemClock, precise },
    send,
    selfCheck,
    onFinished: () => {
      precise.close();
      delay.disable();
      port.close();
    },
  });
  port.on('message', (msg: ToWorker) => runner.handle(msg));
  warmHistogramCodec();
  send({ type: 'ready', workerIndex: init.plan.workerIndex });
} catch (err) {
  send({ type: 'error', workerIndex: init.plan.workerIndex, message: err instanceof Error ? err.message : String(err) });
}
