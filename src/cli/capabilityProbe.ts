import { needsProbe, probeCapabilities } from '../doctor/capabilities.js';
import type { Driver } from '../driver/driver.js';
import type { ProbedCapability } from '../metrics/types.js';
import type { Scenario } from '../scenario/model.js';
import type { CliIo } from './io.js';

/**
 * Probes the (reachable) broker for what the scenario uses ($share, retained messages for late wildcard
 * subscriptions, QoS 2) and says what it does not offer: those deliveries are counted apart, not expected.
 */
export async function probeRunCapabilities(io: CliIo, scenario: Scenario, driver: Driver): Promise<ProbedCapability[]> {
  if (!needsProbe(scenario)) return [];
  const probed = await probeCapabilities(scenario, driver);
  const consequence: Record<ProbedCapability['feature'], string> = {
    'shared subscriptions': 'deliveries to $share filters are counted as not offered, not expected',
    'retained messages to wildcard filters': 'retained messages for late wildcard subscriptions are counted as not offered, not expected',
    'QoS 2': 'deliveries are judged at the QoS the broker grants',
  };
  for (const p of probed) {
    if (p.offered === false) io.stderr.write(`mqbench: the broker does not offer ${p.feature} (${p.finding}): ${consequence[p.feature]}\n`);
    else if (p.offered === null) io.stderr.write(`mqbench: could not tell whether the broker offers ${p.feature} (${p.finding}): assumed it does\n`);
  }
  return probed;
}
