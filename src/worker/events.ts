import type { EventSpec } from '../scenario/types.js';
import type { Clock } from '../shared/clock.js';
import type { Connector } from './connector.js';
import type { Device } from './device.js';
import type { Publisher } from './publisher.js';

/**
 * Whether client i of a group of `count` is among the `fraction` an event picks: evenly spread
 * over the group (so every worker's slice takes its share), floor(count × fraction) in total.
 */
export function picked(i: number, fraction: number): boolean {
  return Math.floor((i + 1) * fraction) > Math.floor(i * fraction);
}

/** Arms the scenario's events for this worker's devices; returns the timers (cleared on stop). */
export function scheduleEvents(events: EventSpec[], t0: number, clock: Clock, devices: Device[], connector: Connector, publisher: Publisher): unknown[] {
  return events.map((e) =>
    clock.setTimeout(() => {
      if ('disconnect' in e) {
        const d = e.disconnect;
        for (const dev of devices) {
          if (dev.group.name !== d.group || !picked(dev.index, d.fraction)) continue;
          void connector.drop(dev, d.abrupt, d.reconnectAfterMs + Math.random() * d.jitterMs);
        }
      } else {
        const name = 'pause' in e ? e.pause.group : e.resume.group;
        const gi = devices.find((dev) => dev.group.name === name)?.groupIndex;
        if (gi === undefined) return;
        if ('pause' in e) publisher.paused.add(gi);
        else publisher.paused.delete(gi);
      }
    }, Math.max(0, t0 + e.atMs - clock.now())),
  );
}
