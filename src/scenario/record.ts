/**
 * The scenario as results files record it (`results.scenario`, schemaVersion 1): plain JSON in the shape the
 * file has always had, whatever the in-memory model looks like. Events are keyed by their action
 * (`{ atMs, disconnect: { group, … } }`), a publish rate is the group's messages per second, and thresholds
 * are their expression texts. Secrets are not removed here: see redact.ts.
 */
import { assertNever } from '../shared/assertNever.js';
import { groupPublishRate, type EventSpec, type GroupSpec, type Scenario } from './model.js';

export type ScenarioRecord = Record<string, unknown>;

function eventRecord(e: EventSpec): Record<string, unknown> {
  switch (e.kind) {
    case 'disconnect':
      return {
        atMs: e.atMs,
        disconnect: { group: e.group, fraction: e.fraction, abrupt: e.abrupt, reconnectAfterMs: e.reconnectAfterMs, jitterMs: e.jitterMs },
      };
    case 'pause':
    case 'resume':
      return { atMs: e.atMs, [e.kind]: { group: e.group } };
    default:
      return assertNever(e);
  }
}

function groupRecord(g: GroupSpec): Record<string, unknown> {
  const copy = structuredClone(g) as unknown as Record<string, unknown>;
  // Assigned in place, so the key keeps its position in the file.
  if (g.publish) (copy.publish as Record<string, unknown>).rate = g.publish.rate.kind === 'max' ? 'max' : groupPublishRate(g);
  // Per-client credentials are secrets: the file name and the row count only.
  const creds = g.connect.credentials;
  if (creds) (copy.connect as Record<string, unknown>).credentials = { file: creds.file, rows: creds.rows.length };
  // A header-less body's bytes stay out of results (they may be large, or private): their sizes are recorded.
  const body = g.publish?.payload.body;
  if (body)
    (copy.publish as Record<string, Record<string, unknown>>).payload.body = {
      source: body.source,
      ...(body.files ? { files: body.files } : {}),
      sizes: body.data.map((d) => Buffer.byteLength(d, 'base64')),
    };
  return copy;
}

/** A deep copy of `s` as a results file records it. */
export function scenarioRecord(s: Scenario): ScenarioRecord {
  const copy = structuredClone(s) as unknown as ScenarioRecord;
  copy.groups = s.groups.map(groupRecord);
  copy.events = s.events.map(eventRecord);
  copy.thresholds = s.thresholds.map((t) => t.expression);
  return copy;
}
