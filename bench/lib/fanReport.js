// The fan-out / fan-in figures (bench/fan.js) in BENCHMARKS.md: every step of every run, and the method.
// Formats only what the runs measured.
const f0 = (n) => (n === null || n === undefined ? '—' : Math.round(n).toLocaleString('en-US'));
const f2 = (n) => (n === null || n === undefined ? '—' : n.toFixed(2));

export const FAN_IDS = ['fanout', 'fanin', 'fanin5'];

/** One table per driver and run: the offered rate stepped up until a step failed, then the bisecting steps, in the order they ran. */
export function fanDetails(rep, f) {
  const out = [];
  for (const d of rep.drivers) {
    (rep.runs[f.id][d] ?? []).forEach((r, i) => {
      if (r.error || !r.steps) return;
      out.push(
        '',
        `mqbench ${d}, run ${i + 1}: ${r.rateReached === null ? 'no step passed' : `reached ${f0(r.rateReached)} msg/s offered`}; ${r.limitRate === null ? r.limitReason : `lowest rate that failed ${f0(r.limitRate)} msg/s: ${r.limitReason}`}${r.refineSteps ? `; ${r.refineSteps} bisecting step${r.refineSteps === 1 ? '' : 's'} (marked "bisect")` : ''}.`,
        '',
        '| offered (msg/s) | deliveries asked (/s) | delivered (/s) | broker CPU (cores, avg / max) | broker thread demand (cores) | mqbench CPU (cores) | generator saturated | lost | duplicated | late sends | e2e p50 / p99 (ms) | passed |',
        '| ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |',
      );
      for (const s of r.steps)
        out.push(
          `| ${f0(s.offered)}${s.refine ? ' (bisect)' : ''} | ${f0(s.deliveriesOffered)} | ${f0(s.receivedPerSec)} | ${f2(s.brokerCores)} / ${f2(s.brokerCoresMax)} | ${f2(s.brokerDemandCores)} | ${f2(s.mqbenchCores)} | ${s.saturated ? `yes (${s.saturatedReason})` : 'no'} | ${f0(s.lost)} | ${f0(s.duplicated)} | ${f0(s.lateSends)} | ${f2(s.e2eP50)} / ${f2(s.e2eP99)} | ${s.passed ? 'yes' : `no: ${s.failedBecause}`} |`,
        );
      const unobserved = r.steps.find((s) => s.brokerError);
      if (unobserved) out.push('', `Broker CPU not read at ${f0(unobserved.offered)} msg/s: ${unobserved.brokerError}.`);
    });
  }
  return out.join('\n');
}

/** The method line of one fan figure (its mqbench config). */
export function fanMethod(id, c) {
  const shape =
    c.mode === 'fanout'
      ? `${c.publishers} publisher → ${c.subscribers.toLocaleString('en-US')} subscribers all on one topic (\`fan/{run}/all\`, QoS 1 subscriptions): every message is delivered ${c.subscribers.toLocaleString('en-US')} times`
      : `${c.publishers.toLocaleString('en-US')} publishers, each on its own topic (\`in/{run}/{i}\`) → ${c.subscribers} subscriber${c.subscribers === 1 ? '' : 's'} sharing \`$share/fan/in/{run}/#\` (QoS 1): every message is delivered once`;
  return (
    `- **${id}**: ${shape}; ${c.payloadSize}-byte payloads, QoS 1 publishes, \`workers: ${c.workers}\` (publishers and subscribers in one worker thread), ${c.warmupMs / 1000} s warm-up, ${c.durationMs / 1000} s measured, per step. ` +
    `The offered rate (the publishers' total) steps through ${c.rates.map(f0).join(', ')} msg/s, each step a fresh run against the same mosquitto, until a step fails: a message lost, \`generator.saturated\`, a run not complete, or deliveries (\`summary.throughput.receivedPerSec\`) below 95% of what the offered rate asks for. ` +
    `${c.refineSteps ? `Then up to ${c.refineSteps} more steps (marked "bisect"), each a fresh run as well, try the rate halfway between the highest rate that passed and the lowest that failed (stopping once the two are within 2%), so the gap between the rate reached and the lowest rate that failed shrinks to 1/2ⁿ of the coarse step it started from (n bisecting steps; 40 → 60 msg/s becomes 2.5 msg/s wide after 3). ` : ''}` +
    `The figures are those of the highest step that passed, and "the lowest step that failed" is the one just above it; broker CPU is mosquitto's process CPU from /proc/<pid> (mqbench's \`--broker-pid\` observer, \`results.broker.resources.cpuCores\`, average over the measured window); mqbench CPU is \`process.cpuUsage()\` of the contender's process over the measured window. ` +
    'Broker CPU near 1 core (mosquitto is single-threaded) with `generator.saturated: false` at the failing step means mosquitto, not mqbench, set the limit. No raw floor: a raw-socket fleet would meet the same broker ceiling.'
  );
}
