/**
 * Words for MQTT return and reason codes, as the lean driver reports them (e.g.
 * "CONNACK refused: Not authorized"). The MQTT 3.1.1 words are the ones mqtt.js uses, so both
 * drivers name a refusal the same way.
 */

/** MQTT 3.1.1 CONNACK return codes (section 3.2.2.3). */
const CONNACK_V4: Record<number, string> = {
  1: 'Unacceptable protocol version',
  2: 'Identifier rejected',
  3: 'Server unavailable',
  4: 'Bad username or password',
  5: 'Not authorized',
};

/** MQTT 5 reason codes (section 2.4) that a CONNACK, PUBACK, PUBREC, SUBACK or DISCONNECT can carry. */
const REASON_V5: Record<number, string> = {
  0x00: 'Success',
  0x04: 'Disconnect with Will Message',
  0x10: 'No matching subscribers',
  0x80: 'Unspecified error',
  0x81: 'Malformed Packet',
  0x82: 'Protocol Error',
  0x83: 'Implementation specific error',
  0x84: 'Unsupported Protocol Version',
  0x85: 'Client Identifier not valid',
  0x86: 'Bad User Name or Password',
  0x87: 'Not authorized',
  0x88: 'Server unavailable',
  0x89: 'Server busy',
  0x8a: 'Banned',
  0x8b: 'Server shutting down',
  0x8c: 'Bad authentication method',
  0x8d: 'Keep Alive timeout',
  0x8e: 'Session taken over',
  0x8f: 'Topic Filter invalid',
  0x90: 'Topic Name invalid',
  0x91: 'Packet Identifier in use',
  0x92: 'Packet Identifier not found',
  0x93: 'Receive Maximum exceeded',
  0x94: 'Topic Alias invalid',
  0x95: 'Packet too large',
  0x96: 'Message rate too high',
  0x97: 'Quota exceeded',
  0x98: 'Administrative action',
  0x99: 'Payload format invalid',
  0x9a: 'Retain not supported',
  0x9b: 'QoS not supported',
  0x9c: 'Use another server',
  0x9d: 'Server moved',
  0x9e: 'Shared Subscriptions not supported',
  0x9f: 'Connection rate exceeded',
  0xa0: 'Maximum connect time',
  0xa1: 'Subscription Identifiers not supported',
  0xa2: 'Wildcard Subscriptions not supported',
};

/** The words for a refused CONNACK, by protocol level. */
export function connackWords(protocolVersion: number, code: number): string {
  const words = protocolVersion === 5 ? REASON_V5[code] : CONNACK_V4[code];
  return words ?? `code ${code}`;
}

/** The name of an MQTT 5 reason code. */
export function reasonWords(code: number): string {
  return REASON_V5[code] ?? `reason code ${code}`;
}
