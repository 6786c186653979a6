/**
 * Before a run: doctor's broker probes for the features the scenario relies on and whose absence would
 * otherwise look like loss ($share, retained messages for late wildcard subscriptions) or a kept promise
 * (QoS 2). Only what the scenario uses is probed; each probe is bounded (PROBE_MS) and uses its own topics.
 */
import { randomBytes } from 'node:crypto';
import type { Driver } from '../driver/driver.js';
import type { ProbedCapability } from '../metrics/types.js';
import type { Scenario } from '../scenario/model.js';
import type { Check } from './check.js';
import { ProbeSession } from './probeSession.js';
import { scenarioNeeds } from './doctor.js';
import { probeMaxQos, probeRetain, probeShared } from './probes.js';

/** A probe's check in the run's terms: ok = offered, FAIL = not offered, WARN = the probe could not tell. */
export function probedFrom(feature: ProbedCapability['feature'], c: Check): ProbedCapability {
  return { feature, offered: c.status === 'ok' ? true : c.status === 'FAIL' ? false : null, finding: c.finding };
}

/** Whether a run of `s` needs a probe first (nothing is probed for scenarios that use none of the features). */
export function needsProbe(s: Scenario): boolean {
  const n = scenarioNeeds(s);
  return n.shared || n.retainWildcard || n.qos === 2;
}

/** Probes the scenario's target (already reachable) for the features the scenario uses, with the run's driver. */
export async function probeCapabilities(s: Scenario, driver: Driver): Promise<ProbedCapability[]> {
  const needs = scenarioNeeds(s);
  const session = new ProbeSession(driver, s.target, randomBytes(4).toString('hex'));
  const out: ProbedCapability[] = [];
  if (needs.shared) out.push(probedFrom('shared subscriptions', await probeShared(session, true)));
  if (needs.retainWildcard) out.push(probedFrom('retained messages to wildcard filters', await probeRetain(session, true, true)));
  if (needs.qos === 2) out.push(probedFrom('QoS 2', await probeMaxQos(session, 2)));
  return out;
}
