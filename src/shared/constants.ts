/** Bytes of the mqbench header at the start of every published payload (see worker/payload.ts). */
export const PAYLOAD_HEADER_BYTES = 32;
/** MQTT's largest payload (remaining length limit minus a little room for the topic). */
export const MAX_PAYLOAD_BYTES = 256 * 1024 * 1024 - 1024;
/** A send that leaves this much after its intended time is counted as late. */
export const LATE_SEND_MS = 1;
