import type { ConnectionEvents, MessageMeta } from '../driver/driver.js';
import type { QoS } from '../scenario/model.js';
import type { Device } from './device.js';

/** Where a device's connection events go (the Connector). */
export interface LinkOwner {
  message(dev: Device, topic: string, payload: Buffer, qos: QoS, retained: boolean, meta?: MessageMeta): void;
  lost(dev: Device, reason: string): void;
  drained(dev: Device): void;
}

/**
 * The events of one device's connection: two references and prototype methods, instead of three closures
 * and their context per connection (an idle connection keeps its events object as long as it lives).
 */
export class DeviceLink implements ConnectionEvents {
  constructor(
    private readonly owner: LinkOwner,
    private readonly dev: Device,
  ) {}

  /** The receiver reads a payload during onMessage and keeps none of it (a getter: no field per connection). */
  get borrowsPayload(): boolean {
    return true;
  }

  onMessage(topic: string, payload: Buffer, qos: QoS, retained: boolean, meta?: MessageMeta): void {
    this.owner.message(this.dev, topic, payload, qos, retained, meta);
  }

  onLost(reason: string): void {
    this.owner.lost(this.dev, reason);
  }

  onDrain(): void {
    this.owner.drained(this.dev);
  }
}
