/**
 * A run's results + what the observer saw → `results.broker` and `intervals[i].broker`. Pure.
 *
 * The windows come from the results' own seconds: resources and costs over the measured phase; the
 * cross-check of counts over the whole run (every second's sent and received, all phases), because the
 * broker's counters are read just outside the window and a run's quiet edges (before connecting, after
 * closing) make the comparison exact.
 */
import type { Results } from '../metrics/types.js';
import { brokerResults, type RunFacts } from './summary.js';
import type { BrokerObservation } from './types.js';

export function runFacts(results: Results): RunFacts | null {
  const rows = results.intervals;
  if (rows.length === 0) return null;
  const span = (rs: typeof rows) => ({ fromT: Math.min(...rs.map((r) => r.t)), toT: Math.max(...rs.map((r) => r.t)) });
  const measuring = rows.filter((r) => r.phase === 'measure');
  const connecting = rows.filter((r) => r.phase === 'connect');
  return {
    measured: span(measuring.length > 0 ? measuring : rows),
    counted: span(rows),
    mqbench: { sent: rows.reduce((n, r) => n + r.sent, 0), received: rows.reduce((n, r) => n + r.received, 0) },
    ...(connecting.length > 0 ? { connectPhase: connecting.map((r) => ({ t: r.t, connections: r.connections })) } : {}),
  };
}

/** The results with the broker's figures added (a new object; `results` is not changed). */
export function withBroker(results: Results, obs: BrokerObservation): Results {
  const facts = runFacts(results);
  if (!facts) {
    return {
      ...results,
      broker: {
        sources: obs.sources,
        resources: { window: { fromT: 0, toT: 0, seconds: 0 } },
        costs: { cpuMsPer1kMessages: null, bytesPerConnection: null },
        counters: null,
        notes: [...obs.notes, "the run has no seconds to place the broker's readings in"],
      },
    };
  }
  const { broker, intervals } = brokerResults(obs, facts);
  // The embedded broker shares its process with mqbench's own clients: their memory is not the broker's.
  if (broker.costs.bytesPerConnection && obs.sources.some((s) => s.kind === 'pid' && s.target.startsWith('embedded broker'))) {
    broker.costs.bytesPerConnection = null;
    broker.notes.push("memory per connection left out: the embedded broker shares its process (and its RSS) with mqbench's own clients");
  }
  const c = broker.counters;
  if (c && (c.fromT >= facts.counted!.fromT || c.toT <= facts.counted!.toT)) {
    broker.notes.push(
      `cross-check of counts: the broker's counters were read at seconds ${c.fromT} and ${c.toT}, inside the run (${facts.counted!.fromT}…${facts.counted!.toT}): messages outside that span are in mqbench's counts only, so part of the difference is timing (mosquitto: sys_interval 1 publishes its counters every 1-2 s)`,
    );
  }
  const target =
    results.target.brokerVersion === undefined || results.target.brokerVersion === 'unknown'
      ? { ...results.target, ...(obs.brokerVersion ? { brokerVersion: obs.brokerVersion } : {}) }
      : results.target;
  return {
    ...results,
    target,
    intervals: results.intervals.map((r) => {
      const b = intervals.get(r.t);
      return b && Object.keys(b).length > 0 ? { ...r, broker: b } : r;
    }),
    broker,
  };
}
