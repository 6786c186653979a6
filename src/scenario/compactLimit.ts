/**
 * Payloads of 16 to 31 bytes carry the compact header (worker/compactHeader.ts), which numbers publishers
 * (their index among all of the run's clients, groups in order) below 2^24. A rule on the checked document.
 */
import { COMPACT_MAX_PUBLISHERS, PAYLOAD_HEADER_BYTES } from '../shared/constants.js';
import { isValid, validOr } from './decode.js';
import type { PathProblem } from './problems.js';
import type { CheckedScenario } from './schema.js';

/** One problem at the payload size of each small-payload group whose clients' indexes reach past the compact header's range. */
export function checkCompactHeader(doc: CheckedScenario): PathProblem[] {
  if (!isValid(doc.groups)) return [];
  const problems: PathProblem[] = [];
  let before = 0;
  doc.groups.forEach((g, i) => {
    const group = validOr(g);
    const count = validOr(group?.count) ?? 0;
    const payload = validOr(validOr(group?.publish)?.payload);
    const size = validOr(payload?.size);
    if (size && validOr(payload?.header) !== false && size.min < PAYLOAD_HEADER_BYTES && before + count > COMPACT_MAX_PUBLISHERS) {
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
