import { ConnectFailure, type Connection } from './driver.js';

/** What the connect timeout tells its connection. */
export interface AttemptOwner {
  connectTimedOut(): void;
}

/**
 * A lean connection's CONNECT until its CONNACK: the caller's promise and the connect timeout. Made with
 * the connection and dropped once it is open or has failed: an open connection holds none.
 */
export class ConnectAttempt {
  private readonly timer: NodeJS.Timeout;

  constructor(
    owner: AttemptOwner,
    private readonly resolve: (c: Connection) => void,
    private readonly reject: (e: Error) => void,
    readonly timeoutMs: number,
  ) {
    this.timer = setTimeout(connectTimeout, timeoutMs, owner);
  }

  /** The CONNACK accepted it: the connection is open. */
  accepted(c: Connection): void {
    clearTimeout(this.timer);
    this.resolve(c);
  }

  /** Refused, timed out, or the socket failed or closed first (the connection was closed). */
  failed(reason: string): void {
    clearTimeout(this.timer);
    this.reject(new ConnectFailure(reason));
  }
}

// A shared timer callback (the connection is its argument: no closure per connection).
function connectTimeout(owner: AttemptOwner): void {
  owner.connectTimedOut();
}
