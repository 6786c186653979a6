/**
 * Conditions under which the numbers of a run must not be read at face value.
 */
import type { Results } from '../metrics/resultsFile.js';
import { closedConnections, closedConnectionsWarning } from './closedConnections.js';

/** The warnings for a run, without the "WARNING:" prefix, most fundamental first. */
export function runWarnings(results: Results): string[] {
  const warnings: string[] = [];
  if (results.status !== 'complete') {
    const reason = results.statusReason ? `: ${results.statusReason}` : '';
    warnings.push(`run is ${results.status}${reason}`);
  }
  const closed = closedConnections(results.summary?.connections);
  if (closed) warnings.push(closedConnectionsWarning(closed));
  if (results.generator.saturated) {
    const reason = results.generator.saturatedReason ? ` (${results.generator.saturatedReason})` : '';
    warnings.push(`the generator was saturated${reason}: the numbers describe mqbench, not the broker`);
  }
  // The broker, not the generator, held the rate down: the figures are the broker's, at a lower rate than planned.
  if (results.summary?.backPressure) warnings.push(results.summary.backPressure.reason);
  const unverifiable = results.summary.messages.unverifiable ?? 0;
  if (unverifiable > 0) {
    warnings.push(
      `${unverifiable.toLocaleString('en-US')} deliveries could not be checked for duplicates (the delivery ledger's memory bound, or a $share group without a shared record): they are not counted as received, so "lost" may include up to that many messages that arrived`,
    );
  }
  if (results.target.insecureTls) {
    warnings.push('TLS certificate checks were off (target.tls.insecure: true): the broker was not verified');
  }
  if (results.target.embedded) {
    warnings.push('these numbers measure the embedded aedes broker inside mqbench, not a production broker');
  }
  return warnings;
}
