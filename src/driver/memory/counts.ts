/**
 * Everything the in-memory broker and its clients did, counted: the independent truth component tests
 * compare the runtime's own counters with. Each field counts events, never messages twice.
 */
export class MemoryCounts {
  // ---- connections and sessions --------------------------------------------------------
  /** Connection attempts (connect() calls). */
  connectAttempts = 0;
  /** Connections accepted (CONNACK success). */
  connects = 0;
  /** Connection attempts refused (a refuseConnects fault). */
  connectsRefused = 0;
  /** CONNACKs with session-present = 1 (the broker resumed a session it kept). */
  sessionsResumed = 0;
  /** Broker sessions that ended when their MQTT 5 session expiry ran out on the clock. */
  sessionsExpired = 0;
  /** Connections closed because the same client id connected again. */
  takeovers = 0;
  /** Connections the broker closed (kill(), Receive Maximum exceeded, a refused 3.1.1 publish, takeover). */
  lost = 0;
  /** Graceful client closes (end()) and abrupt ones (destroy()). */
  ended = 0;
  destroyed = 0;

  // ---- the publisher's side -------------------------------------------------------------
  /** publish() calls. */
  publishes = 0;
  /** PUBLISH frames that reached the broker, resends included. */
  written = 0;
  /** PUBLISH frames re-sent by a resumed client session: with DUP = 1 (written before), and DUP = 0 (never written). */
  resent = 0;
  resentUnwritten = 0;
  /** PUBRELs re-sent by a resumed client session (QoS 2 past PUBREC). */
  pubrelResent = 0;
  /** Most QoS 1/2 publishes the broker held unacknowledged from one connection. */
  maxInflight = 0;
  /** How `done` was called: ack ('puback' / 'pubcomp'), QoS 0 written, NotSent, SessionEnded, a broker refusal. */
  doneAcked = 0;
  doneWritten = 0;
  doneNotSent = 0;
  doneSessionEnded = 0;
  doneRefused = 0;

  // ---- the broker ------------------------------------------------------------------------
  /** Messages the broker took in and routed (a QoS 2 resend of an id it holds is not routed twice). */
  accepted = 0;
  /** QoS 2 PUBLISHes with an id the broker already holds (a resend): acknowledged, not routed again. */
  inboundDuplicates = 0;
  /** Publishes lost inside the broker (swallowPublishes): neither routed nor acknowledged. */
  swallowed = 0;
  /** Publishes the broker refused (refusePublishes). */
  refused = 0;
  /** QoS 2 publishes the broker ran as QoS 1 (qos2AsQos1: PUBACK, delivered at QoS 1). */
  qos2AsQos1 = 0;
  /** MQTT 5 clients disconnected for exceeding the broker's Receive Maximum. */
  receiveMaximumExceeded = 0;
  /** Retained messages stored, and cleared by an empty retained publish. */
  retainedStored = 0;
  retainedCleared = 0;

  // ---- subscriptions ---------------------------------------------------------------------
  /** Filters asked for, granted at the QoS asked, granted lower, refused (0x80). */
  subscribed = 0;
  granted = 0;
  downgraded = 0;
  subRefused = 0;
  unsubscribed = 0;

  // ---- deliveries (broker → subscriber) ------------------------------------------------------
  /** Copies the broker routed to a subscriber session (one per session and message; shared: one per group). */
  routed = 0;
  /** `$share` messages the shareTwice fault also gave a second member of the group. */
  sharedTwice = 0;
  /** Copies of QoS 1/2 queued for a session whose client was not connected. */
  queued = 0;
  /** QoS 0 copies for a session whose client was not connected (never queued). */
  offlineDropped = 0;
  /** PUBLISH frames sent to subscribers (first sends, resends, injected duplicates). */
  sent = 0;
  /** PUBLISH frames re-sent with DUP = 1 to a resumed subscriber session. */
  redelivered = 0;
  /** PUBRELs re-sent to a resumed subscriber session (QoS 2 copies past the client's PUBREC). */
  pubrelRedelivered = 0;
  /** Deliveries the faults dropped, duplicated, delayed. */
  dropped = 0;
  duplicated = 0;
  delayed = 0;
  /** Frames (deliveries, acks) that arrived after their connection had closed. */
  lostInTransit = 0;
  /** onMessage calls: what the subscribers' application saw; `retainedDelivered` of them had retained = true. */
  delivered = 0;
  retainedDelivered = 0;
  /** QoS 2 re-sends a subscriber got before PUBREL: acknowledged, not handed to onMessage again. */
  qos2DuplicatesIgnored = 0;
  /** Broker-held QoS 1/2 copies thrown away because their session ended (clean start, expiry). */
  discarded = 0;

  // ---- acks (broker → publisher) -----------------------------------------------------------
  /** PUBACK / PUBREC / PUBCOMP the broker sent to publishers (held ones once released). */
  acksSent = 0;
  /** Acks held back (holdAcks) and released (releaseAcks); acks delayed (delayAcks). */
  acksHeld = 0;
  acksReleased = 0;
  acksDelayed = 0;

  // ---- back-pressure -------------------------------------------------------------------------
  /** stall() calls on an open connection; drain() calls that resumed one. */
  stalls = 0;
  drains = 0;
  /** onDrain events raised. */
  drainEvents = 0;
}
