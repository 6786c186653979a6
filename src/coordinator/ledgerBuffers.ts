/**
 * The receive-side ledger's shared memory, allocated once per process from the plan and handed to every
 * worker thread (WorkerInit.ledger): a record per `$share` group with several members (shareLedger.ts)
 * and the session board, one record per subscription slot (sessions.ts).
 */
import { allocateShareRecords, shareGroups, type ShareBuffers } from '../metrics/shareLedger.js';
import { SessionBoard } from '../metrics/sessions.js';
import type { RunPlan } from '../plan/plan.js';
import { plannedSubscriptions } from '../worker/naming.js';

export interface LedgerBuffers {
  shares: ShareBuffers;
  sessions: SharedArrayBuffer;
}

export function allocateLedger(plan: RunPlan): LedgerBuffers {
  const groups = shareGroups(plannedSubscriptions(plan.scenario, plan.clientBase, plan.slotBase, plan.runId));
  return {
    shares: allocateShareRecords(groups, plan.seqLayout, plan.segment.count > 1),
    sessions: new SessionBoard(plan.totals.subscriptionSlots).buffer as SharedArrayBuffer,
  };
}
