/**
 * The whole projection of a fleet onto measured broker nodes: demand, the limit of each resource, the node
 * count and the resource that binds, and the confidence checks at that count. Pure.
 */
import type { CapacityFacts } from './capacityFacts.js';
import { confidenceChecks, levelOf, type Check, type Level } from './confidence.js';
import { demandOf, nodesNeeded, resourceLimits, type Demand, type PlanOptions, type ResourceLimit } from './fleet.js';
import type { Fleet } from './fleetSpec.js';

export interface Projection {
  fleet: Fleet;
  options: PlanOptions;
  demand: Demand;
  limits: ResourceLimit[];
  /** null when no input allowed any resource to be judged. */
  nodes: number | null;
  binding: ResourceLimit | null;
  checks: Check[];
  confidence: Level;
  facts: CapacityFacts[];
}

export const DEFAULT_HEADROOM = 0.3;

export function projectFleet(fleet: Fleet, facts: CapacityFacts[], options: PlanOptions): Projection {
  const demand = demandOf(fleet);
  const limits = resourceLimits(demand, facts, options);
  const chosen = nodesNeeded(limits);
  const nodes = chosen && Number.isFinite(chosen.nodes) ? chosen.nodes : null;
  const checks = confidenceChecks(fleet, demand, limits, facts, nodes ?? 1);
  return { fleet, options, demand, limits, nodes, binding: chosen?.binding ?? null, checks, confidence: nodes === null ? 'low' : levelOf(checks), facts };
}
