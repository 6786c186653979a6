/** MQTT protocol vocabulary shared by the scenario, the drivers and the delivery ledger. */

export type QoS = 0 | 1 | 2;

/** MQTT protocol level on the wire: 4 = MQTT 3.1.1, 5 = MQTT 5.0. */
export type ProtocolLevel = 4 | 5;
