import { Worker } from 'node:worker_threads';
import type { WorkerPlan } from '../plan/plan.js';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.js';

type Of<T extends FromWorker['type']> = Extract<FromWorker, { type: T }>;

/** The worker threads of one run: spawn, broadcast, and wait for one message from each. */
export class WorkerPool {
  private readonly workers: Worker[];
  private waiters = new Set<{ type: string; got: Map<number, FromWorker>; resolve: (m: FromWorker[]) => void }>();
  private exited = new Set<number>();
  private failure: ((err: Error) => void) | null = null;
  private readonly failed: Promise<never>;
  onSnapshot: (msg: Of<'snapshot'> | Of<'final'>) => void = () => {};

  constructor(plans: WorkerPlan[], driver: string, entry: URL, shared: Pick<WorkerInit, 'receivable' | 'delivered' | 'ledger'>) {
    this.failed = new Promise<never>((_, reject) => (this.failure = reject));
    this.failed.catch(() => undefined);
    this.workers = plans.map((plan, i) => {
      const init: WorkerInit = { plan, driver, ...shared };
      const w = new Worker(entry, { workerData: init });
      w.on('message', (msg: FromWorker) => this.onMessage(i, msg));
      w.on('error', (err) => this.failure?.(new Error(`worker ${i} crashed: ${err.message}`)));
      w.on('exit', (code) => {
        this.exited.add(i);
        if (code !== 0) this.failure?.(new Error(`worker ${i} exited with code ${code}`));
        this.settleWaiters();
      });
      return w;
    });
  }

  get size(): number {
    return this.workers.length;
  }

  /** Rejects when any worker reports an error, crashes or exits early. */
  get failedPromise(): Promise<never> {
    return this.failed;
  }

  broadcast(msg: ToWorker): void {
    this.workers.forEach((w, i) => {
      if (!this.exited.has(i)) w.postMessage(msg);
    });
  }

  /** Resolves with one message of `type` from every live worker (in worker order). */
  waitAll<T extends FromWorker['type']>(type: T): Promise<Of<T>[]> {
    return new Promise((resolve) => {
      this.waiters.add({ type, got: new Map(), resolve: resolve as (m: FromWorker[]) => void });
    });
  }

  private onMessage(i: number, msg: FromWorker): void {
    if (msg.type === 'error') return this.failure?.(new Error(`worker ${i}: ${msg.message}`));
    if (msg.type === 'snapshot' || msg.type === 'final') this.onSnapshot(msg);
    for (const w of this.waiters) if (w.type === msg.type) w.got.set(i, msg);
    this.settleWaiters();
  }

  /** A waiter is done when every worker has answered or has exited (an exited one never will). */
  private settleWaiters(): void {
    for (const w of this.waiters) {
      const done = this.workers.every((_, i) => w.got.has(i) || this.exited.has(i));
      if (!done) continue;
      this.waiters.delete(w);
      w.resolve([...w.got.entries()].sort((a, b) => a[0] - b[0]).map(([, m]) => m));
    }
  }

  /** Wait for every thread to end; terminate the ones still running after `graceMs`. */
  async close(graceMs: number): Promise<void> {
    this.failure = null;
    const all = this.workers.map((w, i) => (this.exited.has(i) ? Promise.resolve() : new Promise<void>((r) => w.once('exit', () => r()))));
    const timer = new Promise<void>((r) => setTimeout(r, graceMs).unref());
    await Promise.race([Promise.all(all), timer]);
    await Promise.all(this.workers.filter((_, i) => !this.exited.has(i)).map((w) => w.terminate()));
  }
}
