import type { WorkerPlan } from '../plan/plan.js';
import type { Snapshot } from '../metrics/types.js';
import type { LedgerBuffers } from './ledgerBuffers.js';

/** What a worker thread starts with (its workerData). */
export interface WorkerInit {
  plan: WorkerPlan;
  driver: string;
  /** One byte per global client, shared by all threads: see Receivable in metrics/ledger.ts. */
  receivable: SharedArrayBuffer;
  /** One bit per (publisher, seq) of the run, set on a message's first delivery to any subscriber: see SeqBitmap. */
  delivered: SharedArrayBuffer;
  /** Receive-side ledger state shared by all threads: `$share` group records, session board (see ledgerBuffers.ts). */
  ledger: LedgerBuffers;
}

/**
 * The thread protocol: every message between the coordinator and a worker is one of these.
 * Lifecycle: (workerData = plan) → ready → connect → connected → start → published →
 * [drain: progress? ⇄ progress]* → stop → final. `stop` may come at any time (abort).
 */
export type ToWorker =
  /** Begin connecting at this epoch-ms instant (the start barrier for connections). */
  | { type: 'connect'; at: number }
  /** Begin publishing (and run the scenario's events) from epoch-ms `t0`. */
  | { type: 'start'; t0: number }
  /** Report cumulative delivery progress now (used while draining). */
  | { type: 'progress?' }
  /**
   * The drain time is up with publishes still waiting: stop publishing (what waits becomes unsent) but keep every
   * connection open, so that what was written can still reach the subscribers before anything closes.
   */
  | { type: 'quiesce' }
  /** Close every connection, send the final snapshot, end the thread. */
  | { type: 'stop'; reason: string };

export interface DeliveryProgress {
  /** Measured (post-warm-up) counts, cumulative. */
  expected: number;
  uniqueReceived: number;
  /** QoS 1/2 publishes still waiting for their ack. */
  inflight: number;
}

export type FromWorker =
  | { type: 'ready'; workerIndex: number }
  | { type: 'connected'; workerIndex: number }
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'published'; workerIndex: number }
  | { type: 'progress'; workerIndex: number; progress: DeliveryProgress }
  /**
   * `unacked`: the QoS 1/2 publishes this worker wrote that were never acknowledged, UNACKED_FIELDS numbers per
   * message (metrics/unacked.ts), at most MAX_UNACKED_ROWS: the coordinator settles them once every worker is done.
   */
  | { type: 'final'; snapshot: Snapshot; unacked?: Float64Array }
  /** A fatal error inside the worker: the coordinator aborts the run. */
  | { type: 'error'; workerIndex: number; message: string };
