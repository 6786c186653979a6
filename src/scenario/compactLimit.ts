/**
 * Payloads of 16 to 31 bytes carry the compact header (worker/compactHeader.ts), which numbers publishers
 * (their index among all of the run's clients, groups in order) below 2^24. A rule on the raw document.
 */
import { COMPACT_MAX_PUBLISHERS, PAYLOAD_HEADER_BYTES } from '../shared/constants.js';
import type { PathProblem } from './problems.js';
import { isRecord, read } from './raw.js';
import * as v from './values.js';

/** One problem at the payload size of each small-payload group whose clients' indexes reach past the compact header's range. */
export function checkCompactHeader(doc: unknown): PathProblem[] {
  if (!isRecord(doc) || !Array.isArray(doc.groups)) return [];
  const problems: PathProblem[] = [];
  let before = 0;
  doc.groups.forEach((g, i) => {
    const count = isRecord(g) ? read(v.groupCount, g.count) ?? 0 : 0;
    const payload = isRecord(g) && isRecord(g.publish) && isRecord(g.publish.payload) ? g.publish.payload : undefined;
    const size = payload && payload.size !== undefined ? read(v.payloadSizeRange, payload.size) : undefined;
    if (size && size.min < PAYLOAD_HEADER_BYTES && before + count > COMPACT_MAX_PUBLISHERS) {
      problems.push({
        path: ['groups', i, 'publish', 'payload', 'size'],
        message: `payloads under ${PAYLOAD_HEADER_BYTES} B carry the compact header, which numbers publishers below ${COMPACT_MAX_PUBLISHERS.toLocaleString('en-US')}, but this group's clients reach index ${(before + count - 1).toLocaleString('en-US')} of the run`,
        hint: `use payloads of ${PAYLOAD_HEADER_BYTES} B or more, or put this group first`,
      });
    }
    before += count;
  });
  return problems;
}
