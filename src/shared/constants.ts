/** Bytes of the mqbench header at the start of every published payload (see worker/payload.ts). */
export const PAYLOAD_HEADER_BYTES = 32;
/** Bytes of the compact header that payloads of 16 to 31 bytes carry instead (see worker/compactHeader.ts). */
export const COMPACT_HEADER_BYTES = 16;
/** The compact header numbers publishers (global client indexes) below this. */
export const COMPACT_MAX_PUBLISHERS = 2 ** 24;
/** MQTT's largest payload (remaining length limit minus a little room for the topic). */
export const MAX_PAYLOAD_BYTES = 256 * 1024 * 1024 - 1024;
/**
 * A send that leaves more than this after its intended time is counted as late. Node's timers
 * have 1 ms resolution, so a send up to ~1 ms after its slot is on time for this generator;
 * that slack is still inside the corrected end-to-end latency, never hidden.
 */
export const LATE_SEND_MS = 2;
/**
 * QoS 1/2 messages one client keeps in flight before it waits for acks (mosquitto's default
 * max_inflight_messages, and a common MQTT 5 receive maximum).
 */
export const MAX_INFLIGHT = 20;
/** Slots one client may queue behind a full window before further ones count as publish errors. */
export const MAX_BACKLOG = 100_000;
