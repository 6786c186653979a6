/**
 * Keys derived while a mapping is checked, from its keys as written: a publish's pace (rate for the whole
 * group, or every per client: exactly one) and an event's action (exactly one of disconnect, pause, resume).
 * Being derived during the check, the "exactly one" is in the types from then on.
 */
import type { PublishRate } from './model.js';
import { INVALID, isValid, type Decoder, type Invalid, type Sink } from './decode.js';
import type { Derivation } from './decodeMappings.js';
import type { PathSegment } from './problems.js';

type Written<T> = T | undefined | Invalid;

/** rate / every as written → the pace, or one problem when both or neither are set. */
export const publishPace: Derivation<{ rate: Written<number>; every: Written<number> }, PublishRate, PublishRate> = {
  check(p, path: PathSegment[], out: Sink): PublishRate | Invalid {
    const hasRate = p.rate !== undefined;
    const hasEvery = p.every !== undefined;
    if (hasRate && hasEvery) {
      out.push({ path: [...path, 'every'], message: 'set either rate (for the whole group) or every (per client), not both', atKey: true });
      return INVALID;
    }
    if (p.rate !== undefined) return isValid(p.rate) ? (p.rate === Infinity ? { kind: 'max' } : { kind: 'rate', perSec: p.rate }) : INVALID;
    if (p.every !== undefined) return isValid(p.every) ? { kind: 'every', everyMs: p.every } : INVALID;
    out.push({ path: [...path, 'rate'], message: 'publish needs a rate (for the whole group, e.g. 100/s) or every (per client, e.g. 5s)' });
    return INVALID;
  },
  fill: (pace) => pace,
};

export const EVENT_ACTIONS = ['disconnect', 'pause', 'resume'] as const;

/** The action an event was written with, checked (its body as written) and valid (its body filled). */
export type CheckedAction<D, R> = { kind: 'disconnect'; body: D } | { kind: 'pause' | 'resume'; body: R };
export type ValidAction<D, R> = ({ kind: 'disconnect' } & D) | ({ kind: 'pause' | 'resume' } & R);

interface EventKeys<D, R> {
  disconnect: Written<D>;
  pause: Written<R>;
  resume: Written<R>;
}

/** disconnect / pause / resume as written → the one action, or one problem at the event. */
export function eventAction<DC, DV, RC, RV>(
  disconnect: Decoder<DC, DV>,
  groupRef: Decoder<RC, RV>,
): Derivation<EventKeys<DC, RC>, CheckedAction<DC, RC>, ValidAction<DV, RV>> {
  return {
    check(e, path, out) {
      const actions = EVENT_ACTIONS.filter((a) => e[a] !== undefined);
      if (actions.length !== 1) {
        out.push({
          path,
          message: actions.length === 0 ? 'an event needs an action' : `an event does one thing, got ${actions.join(' and ')}`,
          hint: `use one of ${EVENT_ACTIONS.join(', ')} per event`,
        });
        return INVALID;
      }
      const kind = actions[0];
      if (kind === 'disconnect') return isValid(e.disconnect) && e.disconnect !== undefined ? { kind, body: e.disconnect } : INVALID;
      const body = e[kind];
      return isValid(body) && body !== undefined ? { kind, body } : INVALID;
    },
    fill(action) {
      return action.kind === 'disconnect' ? { kind: action.kind, ...disconnect.fill(action.body) } : { kind: action.kind, ...groupRef.fill(action.body) };
    },
  };
}
