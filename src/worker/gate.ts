/**
 * At most `limit` tasks at a time; the others wait in arrival order. Used to keep a bounded number of
 * connection handshakes in flight: a broker's listen backlog (mosquitto: 100) drops the SYNs beyond it,
 * and each dropped one costs its client a 1 s retransmission, so a connect storm faster than the broker
 * accepts would get slower, not faster. Latency `connect` is measured from the attempt, not the wait here;
 * `connectFromSlot` (connector.ts) from the paced slot, so the wait is in it.
 */
export class Gate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  run<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.running++;
        task()
          .then(resolve, reject)
          .finally(() => {
            this.running--;
            this.waiting.shift()?.();
          });
      };
      if (this.running < this.limit) start();
      else this.waiting.push(start);
    });
  }

  /** Tasks running now (for tests and progress). */
  get inFlight(): number {
    return this.running;
  }
}
