import type { QoS } from '../../scenario/model.js';
import type { PublishDone } from '../driver.js';

/**
 * One QoS 1/2 PUBLISH in flight on either side: a client's publish waiting for PUBACK / PUBCOMP (with
 * its `done`), or a broker's copy waiting for the subscriber's PUBACK / PUBCOMP (no `done`).
 */
export class Flight {
  /** Reached the other side at least once: a resend carries DUP = 1 (and a failure is SessionEnded, not NotSent). */
  sent = false;
  /** PUBREC came (QoS 2): the flow continues with PUBREL. */
  rec = false;
  constructor(
    readonly id: number,
    readonly topic: string,
    readonly payload: Buffer,
    readonly qos: QoS,
    /** The PUBLISH's retain flag. */
    readonly retain: boolean,
    readonly done: PublishDone | null = null,
  ) {}
}
