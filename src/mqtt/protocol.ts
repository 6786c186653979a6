/** MQTT protocol vocabulary shared by the scenario, the drivers and the delivery ledger. */

export type QoS = 0 | 1 | 2;

/** MQTT protocol level on the wire: 3 = MQTT 3.1 (protocol name MQIsdp), 4 = MQTT 3.1.1, 5 = MQTT 5.0. */
export type ProtocolLevel = 3 | 4 | 5;

/** The protocol name a CONNECT carries at this level. */
export const protocolName = (level: ProtocolLevel): 'MQIsdp' | 'MQTT' => (level === 3 ? 'MQIsdp' : 'MQTT');

/** The level as people write it. */
export const versionText = (level: ProtocolLevel): string => (level === 3 ? '3.1' : level === 4 ? '3.1.1' : '5');
