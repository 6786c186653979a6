import type { Connection } from '../driver/types.js';
import { ArrivalLedger } from '../metrics/ledger.js';
import type { GroupSpec } from '../scenario/types.js';
import type { GroupNames } from './naming.js';

/** One simulated client: its identity, its connection (when up) and its receive-side ledger. */
export interface Device {
  groupIndex: number;
  group: GroupSpec;
  names: GroupNames;
  /** Index within the group ({i}). */
  index: number;
  /** Global client index across all groups: the publisher id in payload headers. */
  global: number;
  clientId: string;
  filters: string[];
  conn: Connection | null;
  ledger: ArrivalLedger | null;
  /** QoS 1/2 slots waiting for room in the in-flight window: [seq, dueMs] pairs, flattened. */
  backlog: number[];
}

export function createDevice(groupIndex: number, group: GroupSpec, names: GroupNames, index: number, global: number, clientId: string, filters: string[]): Device {
  return {
    groupIndex,
    group,
    names,
    index,
    global,
    clientId,
    filters,
    conn: null,
    ledger: filters.length > 0 ? new ArrivalLedger() : null,
    backlog: [],
  };
}
