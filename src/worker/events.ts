import type { EventSpec } from '../scenario/model.js';
import { assertNever } from '../shared/assertNever.js';
import type { Clock } from '../shared/clock.js';
import type { Connector } from './connector.js';
import type { Device } from './device.js';
import type { Publisher } from './publisher.js';
import type { Recorder } from '../metrics/recorder.js';
import type { RetainedTopics } from './retained.js';

/**
 * Whether client i of a group of `count` is among the `fraction` an event picks: evenly spread
 * over the group (so every worker's slice takes its share), floor(count × fraction) in total.
 */
export function picked(i: number, fraction: number): boolean {
  return Math.floor((i + 1) * fraction) > Math.floor(i * fraction);
}

/**
 * Arms late subscriptions (`subscribe[].at`) and unsubscriptions (`subscribe[].until`) of this
 * worker's devices. A late subscription expects the retained messages published so far.
 */
export function scheduleSubscriptions(
  devices: Device[],
  t0: number,
  clock: Clock,
  connector: Connector,
  retained: RetainedTopics,
  recorder: Recorder,
): unknown[] {
  const timers: unknown[] = [];
  const groups = new Map<number, Device[]>();
  for (const d of devices) {
    const devs = groups.get(d.groupIndex); // pushed in place: copying the list per device was quadratic (half the connect phase at 19,900 clients)
    if (devs) devs.push(d);
    else groups.set(d.groupIndex, [d]);
  }
  for (const devs of groups.values()) {
    devs[0].group.subscribe.forEach((s, k) => {
      if (s.atMs !== undefined) {
        timers.push(
          clock.setTimeout(
            () => {
              for (const dev of devs) {
                dev.active[k] = true;
                const expected = retained.expectedFor(dev.filters[k], clock.now());
                const key = retained.offeredTo(dev.filters[k]) ? 'retainedExpected' : 'retainedNotOffered';
                void connector.subscribe(dev, k).then((ok) => ok && expected > 0 && recorder.count(key, true, expected));
              }
            },
            Math.max(0, t0 + s.atMs - clock.now()),
          ),
        );
      }
      if (s.untilMs !== undefined) {
        timers.push(clock.setTimeout(() => devs.forEach((dev) => void connector.unsubscribe(dev, k)), Math.max(0, t0 + s.untilMs - clock.now())));
      }
    });
  }
  return timers;
}

/** Arms the scenario's events for this worker's devices; returns the timers (cleared on stop). */
export function scheduleEvents(events: EventSpec[], t0: number, clock: Clock, devices: Device[], connector: Connector, publisher: Publisher): unknown[] {
  return events.map((e) =>
    clock.setTimeout(
      () => {
        switch (e.kind) {
          case 'disconnect':
            for (const dev of devices) {
              if (dev.group.name !== e.group || !picked(dev.index, e.fraction)) continue;
              void connector.drop(dev, e.abrupt, e.reconnectAfterMs + Math.random() * e.jitterMs);
            }
            return;
          case 'pause':
          case 'resume': {
            const gi = devices.find((dev) => dev.group.name === e.group)?.groupIndex;
            if (gi === undefined) return;
            if (e.kind === 'pause') publisher.paused.add(gi);
            else publisher.paused.delete(gi);
            return;
          }
          default:
            assertNever(e);
        }
      },
      Math.max(0, t0 + e.atMs - clock.now()),
    ),
  );
}
