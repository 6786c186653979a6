/** How long end() waits for the socket to finish writing before it destroys it. */
const END_FALLBACK_MS = 2000;

/** What the fallback destroys. */
export interface EndingOwner {
  destroySocket(): void;
}

/**
 * A lean connection's graceful end() in progress (made by end(): a connection never ended holds none):
 * the promise end() returns, settled when the socket closes, and the fallback that destroys the socket
 * if it has not closed within END_FALLBACK_MS.
 */
export class LeanEnding {
  readonly promise: Promise<void>;
  private resolve: (() => void) | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(owner: EndingOwner) {
    this.promise = new Promise<void>((resolve) => {
      this.resolve = resolve;
    });
    this.timer = setTimeout(destroyLater, END_FALLBACK_MS, owner);
  }

  /** The socket closed. */
  closed(): void {
    clearTimeout(this.timer);
    this.resolve?.();
  }
}

// A shared timer callback (the connection is its argument: no closure per connection).
function destroyLater(owner: EndingOwner): void {
  owner.destroySocket();
}
