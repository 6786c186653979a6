// Renders the scale figures section of BENCHMARKS.md from bench/results/scale.json. Like report.js it only
// formats what was measured; a figure never run says so and gives the command.

const f0 = (n) => (n == null ? '—' : Math.round(n).toLocaleString('en-US'));
const mib = (b) => (b == null ? '—' : (b / 2 ** 20).toFixed(1));
const kb = (b) => (b == null ? '—' : (b / 1024).toFixed(2));
const la = (a) => (a ? a.map((x) => x.toFixed(2)).join(' / ') : '—');

function header(entry) {
  const m = entry.machine;
  return [
    `Run ${entry.generatedAt} → ${entry.finishedAt} with \`${entry.command}\`${entry.quick ? ' (**--quick**: smaller and shorter, not the figure of record)' : ''}; ` +
      `mqbench ${entry.build.version}, dist sha256 \`${entry.build.distSha256}\`; ${m.cores} cores, ${m.ramGiB.toFixed(1)} GiB, ${m.os}, Node ${m.node}, mosquitto ${m.mosquitto}; ` +
      `load average ${la(m.loadAvgStart)} at start, ${la(m.loadAvgEnd)} at end.`,
  ];
}

function connections50k(entry) {
  if (!entry) return ['Not run yet: `npm run bench -- --only connections50k`.'];
  const rec = entry.record;
  const c = rec.cfg;
  const r = rec.result;
  const out = [...header(entry), ''];
  if (!r) return [...out, `**Failed:** \`${rec.error}\``];
  if (!rec.ok) out.push(`**Failed:** \`${rec.error}\``, '');
  const perBroker = r.heldByBrokersEach.map(f0).join(' / ');
  const procs = r.perProcess
    .map((p) => `${mib(p.rssBefore)} → ${mib(p.rssEnd)} MiB, peak ${mib(p.rssPeak)}${p.fdsEnd ? `, ${f0(p.fdsEnd)} descriptors` : ''}`)
    .join('; ');
  out.push(
    '| Metric | Value |',
    '| --- | --- |',
    `| connections held at the end of the hold (sum of the brokers' clients) | **${f0(r.heldByBrokers)}** (${perBroker}) |`,
    `| connections mqbench opened (merged result: attempted / succeeded / failed / lost) | ${f0(r.attempted)} / ${f0(r.succeeded)} / ${f0(r.failed)} / ${f0(r.lost)} |`,
    `| connect rate (planned ${f0(c.connectRate)}/s) | **${f0(r.connectsPerSec)} conn/s** (all ${f0(r.succeeded)} in ${r.connectPhaseSec?.toFixed(1) ?? '—'} s) |`,
    `| RSS per connection across the ${c.processes} generator processes | **${kb(r.rssPerConnBytes)} KB** ((RSS at the end of the hold − RSS before connecting) ÷ held); ${kb(r.rssGrossPerConnBytes)} KB gross (all RSS ÷ held) |`,
    `| generator RSS, sum over processes (before connecting → end of hold) | ${mib(r.rssBefore)} → ${mib(r.rssEnd)} MiB (per process: ${procs}); the parent that merges: ${mib(r.parentRssEnd)} MiB |`,
    `| connect latency p50 / p99 / max | ${r.connectMs.p50?.toFixed(0) ?? '—'} / ${r.connectMs.p99?.toFixed(0) ?? '—'} / ${r.connectMs.max?.toFixed(0) ?? '—'} ms |`,
    `| time | ${r.wallSec.toFixed(1)} s for the whole command (start-up, connect, ${r.holdSec} s hold, close, merge) |`,
    `| status | ${r.status}${r.statusReason ? ` (${r.statusReason})` : ''}; ${r.segments} segments merged; generator saturated: ${r.saturated ? 'yes' : 'no'} |`,
    '',
    `Set-up: ${c.brokers} mosquittos on 127.0.0.1 (one port each; \`ulimit -n 20000\`, \`max_connections -1\`; open-files limit seen: ${rec.brokerOpenFiles.join(', ')}), ` +
      `\`${rec.command}\` (${c.processes} generator processes, ${c.workersPerProcess} worker thread each), scenario: one group of ${f0(c.connections)} clients, ` +
      `\`connect: { rate: ${c.connectRate}/s, keepalive: ${c.keepaliveSec}s }\`, \`target.urls\` listing the ${c.brokers} brokers (client g → urls[g % 3]), held ${c.holdMs / 1000} s. ` +
      `Ephemeral ports: ${f0(rec.preflight.ephemeralPorts)} per source→destination pair; ${f0(rec.preflight.perBroker)} connections per broker port, ${f0(rec.preflight.perProcess)} per generator process. ` +
      "Sampled from outside every second: each mosquitto's open descriptors minus its count before the run (= its clients), each generator's VmRSS. " +
      'Connect rate = connections ÷ time from the last sample with ≤ 100 clients on the brokers to the first with all of them (±1 s). "Before connecting" is each generator\'s RSS at its last sample before its own descriptors grew by 100 (worker thread already up). KB = 1024 bytes.',
  );
  const errs = Object.entries(r.errors);
  if (errs.length) out.push('', `Connect errors: ${errs.map(([k, v]) => `${k} ×${v}`).join(', ')}.`);
  return out;
}

function soak(entry) {
  if (!entry) return ['Not run yet: `npm run bench -- --only soak` (about 11 minutes; not in the default set).'];
  const out = [...header(entry), ''];
  for (const [driver, rec] of Object.entries(entry.byDriver)) {
    const c = rec.cfg;
    const v = rec.result;
    out.push(
      `**${driver} driver** — \`${rec.command}\`: ${f0(c.connections)} idle clients + 1 publishing 1 msg/s, keepalive ${c.keepaliveSec} s, one worker thread.`,
      '',
    );
    if (!v) {
      out.push(`**Failed:** \`${rec.error}\``, '');
      continue;
    }
    out.push(
      '| | first sample | last sample | min | max | growth | target | result |',
      '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
      `| RSS (MiB) | ${mib(v.rssFirst)} | ${mib(v.rssLast)} | ${mib(v.rssMin)} | ${mib(v.rssMax)} | ${v.rssGrowthPercent.toFixed(2)}% | < ${c.rssGrowthLimitPercent}% | **${v.rssPass ? 'pass' : 'fail'}** |`,
      `| open handles (/proc/<pid>/fd) | ${f0(v.fdsFirst)} | ${f0(v.fdsLast)} | — | ${f0(v.fdsMax)} | ${v.fdGrowth >= 0 ? '+' : ''}${v.fdGrowth} | no growth | **${v.fdPass ? 'pass' : 'fail'}** |`,
      '',
      `Soak ${v.soakSec} s after all connections were up (${rec.samples.length} samples, every ${c.sampleEveryMs / 1000} s); the broker held at least ${f0(v.brokerClientsMin)} clients at every sample. ` +
        `mqbench's result: status ${v.status ?? '—'}${v.statusReason ? ` (${v.statusReason})` : ''}${v.connections ? `; connections succeeded ${f0(v.connections.succeeded)}, failed ${f0(v.connections.failed)}, lost ${f0(v.connections.lost)}, reconnected ${f0(v.connections.reconnected)}` : ''}. ` +
        `Whole command ${rec.wallSec.toFixed(0)} s. Verdict: **${v.pass ? 'PASS' : 'FAIL'}** (RSS first → last, handles first → last). ` +
        `Stricter, for information: RSS grew ${v.rssGrowthFromMinPercent.toFixed(2)}% from its lowest sample to the last (the first sample still holds the connect phase's garbage).`,
      '',
      `Samples (s: RSS MiB / handles): ${rec.samples.map((x) => `${x.t}: ${mib(x.rss)}/${x.fds}`).join(', ')}.`,
      '',
    );
  }
  return out;
}

const ms3 = (n) => (n == null ? '—' : n.toFixed(3));
const ratio = (r) => (r == null ? '—' : `${r.toFixed(2)}×`);

function pacing(entry) {
  if (!entry) return ['Not run yet: `npm run bench -- --only pacing`.'];
  const rec = entry.record;
  const by = (rate, spin) => rec.rows.find((r) => r.rate === rate && r.spinMs === spin);
  const out = [
    ...header(entry),
    '',
    '| slots/s | timer only: late p50 / p99 (ms) | timer only: CPU (% of a core) | hybrid: late p50 / p99 (ms) | hybrid ÷ timer only (p50) | hybrid: CPU (% of a core) | target (hybrid p50) | result |',
    '| ---: | --- | ---: | --- | ---: | ---: | --- | --- |',
  ];
  for (const rate of rec.cfg.rates) {
    const t = by(rate, 0);
    const h = by(rate, 2);
    const cell = (r) => (!r || r.error ? 'failed' : `${ms3(r.lateP50)} / ${ms3(r.lateP99)}`);
    const cpu = (r) => (!r || r.error ? '—' : (100 * r.cpuShare).toFixed(1));
    const met = h && !h.error ? (h.lateP50 <= 0.1 ? '**met**' : '**missed**') : 'n/a';
    out.push(
      `| ${f0(rate)} | ${cell(t)} | ${cpu(t)} | ${cell(h)} | ${t && h && !t.error && !h.error && t.lateP50 ? ratio(h.lateP50 / t.lateP50) : '—'} | ${cpu(h)} | ≤ 0.1 | ${met} |`,
    );
  }
  out.push(
    '',
    `The Pacer (\`dist/worker/pacer.js\`) alone in a child process (\`bench/pacing.js\`), one schedule at each rate for ${rec.cfg.durationMs / 1000} s (the 1/s row: at least ${(rec.cfg.minSlowMs ?? 3000) / 1000} s), on the real clock: "late" is now − due when each slot is emitted, the slack that ends up between the corrected and the uncorrected latency. "Timer only" is spinMs 0 (a setTimeout to each slot: whole-millisecond delays, so ~0.5 ms late on average); "hybrid" is the default, as in a worker thread: the precise timer (\`src/shared/preciseTimer.ts\`: a helper thread sleeps in Atomics.wait, fractional milliseconds, and wakes the pacer's event loop through a MessagePort) a lead before the slot, then polling on setImmediate, I/O flowing, until it is due. A futex wait overshoots by ~0.1 ms plus ~0.05% of its length (0.5 ms after 1 s), so the helper sleeps in stages (a long wait ends 1/256 of it early, then a short one), shortens its last wait by the overshoot it measures (its median) and finishes one that ended early by checking the time (\`src/shared/preciseWait.ts\`). The lead adapts to how late the wake-ups reach the event loop (their 75th percentile, 0.02-0.3 ms, from 0.1 ms), and after a long idle wait it is at least 1% of the wait, up to 1 ms (a thread idle that long wakes slower), so polling covers only their spread. Polling is capped at 10% of the time per 100 ms, so slots denser than the wake-up (10,000/s) go back to 1 ms timer batches (a precise wake-up per slot there: p50 ~0.1 ms but ~34% of a core, measured under load; not done). CPU = process.cpuUsage() ÷ wall time (both threads). The raw floor for lateness is 0. The polling time is left out of the worker's busy figure (it only waits), so it never reads as saturation.`,
  );
  return out;
}

function segmentCost(entry) {
  if (!entry) return ['Not run yet: `npm run bench -- --only segmentCost`.'];
  const rec = entry.record;
  const label = {
    startupSec: 'start-up: spawn → first connection at the broker (s)',
    wallSec: 'whole command (s)',
    rssPeak: 'peak RSS of the generator process (MiB)',
  };
  const fmt = (k, v) => (v == null ? '—' : k === 'rssPeak' ? (v / 2 ** 20).toFixed(0) : v.toFixed(2));
  const target = { startupSec: '≤ 1.2×', wallSec: '—', rssPeak: '≤ 1.2×' };
  const out = [
    ...header(entry),
    '',
    '| Metric | floor: 10,000-client run | mqbench: segment 0/100 of 1,000,000 clients | segment ÷ floor | target | result |',
    '| --- | ---: | ---: | ---: | --- | --- |',
  ];
  for (const m of rec.metrics) {
    const met = target[m.key] === '—' || m.ratio == null ? '—' : m.ratio <= 1.2 ? '**met**' : '**missed**';
    out.push(`| ${label[m.key]} | ${fmt(m.key, m.floor)} | ${fmt(m.key, m.segment)} | ${ratio(m.ratio)} | ${target[m.key]} | ${met} |`);
  }
  const runs = (w) =>
    rec.runs[w]
      .map((r) =>
        r.ok
          ? `${r.result.startupSec?.toFixed(2)} s / ${r.result.wallSec.toFixed(1)} s / ${(r.result.rssPeak / 2 ** 20).toFixed(0)} MiB (${r.result.clients} clients, ${r.result.status})`
          : `failed: \`${r.error.split('\n')[0]}\``,
      )
      .join('; ');
  out.push(
    '',
    `Medians of ${rec.cfg.runs} run${rec.cfg.runs === 1 ? '' : 's'} each, interleaved. Every run (start-up / whole command / peak RSS): floor ${runs('floor')}; segment ${runs('segment')}.`,
    '',
    `Set-up: \`mqbench run scenario.yaml --driver ${rec.cfg.driver} --workers ${rec.cfg.workers} --run-id segcost\` (+ \`--segment 0/${rec.cfg.segments}\`) against a fresh mosquitto; scenario (bench/lib/segmentCost.js): devices (${f0(rec.cfg.local)} or ${f0(rec.cfg.local * rec.cfg.segments)}) subscribed to \`cmd/{run}/{i}\` QoS 1 and publishing telemetry every 10 s, one back end sending 1,000 commands/s round-robin to every device, two ingest clients sharing \`$share/ingest/telemetry/{run}/#\`; connect at 20,000/s, ${rec.cfg.durationMs / 1000} s. Sampled from outside every 20 ms (VmRSS; the broker's descriptors for the first connection). Both runs hold ~10,000 connections; the segment's publishers count deliveries expected by the 990,000 devices of the other segments too (from the subscription rules, without listing them).`,
  );
  return out;
}

const PART_WORDS = {
  socket: "Node's net.Socket, its stream states and TCP handle (for the handle, V8's estimate of its C++ object)",
  parser: 'input parsing: a partial packet only while one is incomplete (the mqtt-packet parser is one per thread)',
  connection: 'the lean connection state machine and its output (LeanConnection, LeanOutput)',
  ledger: 'what reached the kernel (WriteLedger), QoS 1/2 in flight (LeanSession), receive-side arrivals',
  timers: 'keepalive (an entry in the thread’s timer wheel), any Timeout',
  device: 'the simulated client: Device, its Backlog, its connection events (DeviceLink)',
  other: 'heap growth no listed class owns (shared arrays growing with the count, strings, code compiled meanwhile)',
};
const LAYER_WORDS = { socket: 'plain sockets (the floor)', driver: '+ lean driver', mqbench: '+ whole generator (mqbench)' };

function idleBreakdown(entry) {
  if (!entry) return ['Not run yet: `npm run bench -- --only idleBreakdown`.'];
  const rec = entry.record;
  const c = rec.cfg;
  const kb2 = (b) => (b == null ? '—' : (b / 1024).toFixed(2));
  const b0 = (b) => (b == null ? '—' : Math.round(b).toLocaleString('en-US'));
  const heapOf = (stage, part) => (rec.heap[stage]?.heapPerConn ? rec.heap[stage].heapPerConn[part] : null);
  const heapTotal = (stage) => rec.heap[stage]?.heapPerConnBytes ?? null;
  const out = [...header(entry), ''];
  if (!rec.ok) out.push('**Some runs failed** (see below).', '');
  out.push(
    '| Layer | RSS per connection (KB) | added by the layer (KB) | heap per connection (B) | RSS − heap: native and allocator (KB) |',
    '| --- | ---: | ---: | ---: | ---: |',
  );
  let prev = null;
  for (const stage of ['socket', 'driver', 'mqbench']) {
    const r = rec.rss[stage];
    const h = heapTotal(stage);
    out.push(
      `| ${LAYER_WORDS[stage]} | ${kb2(r)} | ${prev == null || r == null ? '—' : kb2(r - prev)} | ${b0(h)} | ${r == null || h == null ? '—' : kb2(r - h)} |`,
    );
    prev = r;
  }
  const floor = rec.rss.socket;
  const total = rec.rss.mqbench;
  const ratioText = floor && total != null ? `${(total / floor).toFixed(2)}×` : '—';
  out.push(
    '',
    `Target: ≤ 5 KB per idle connection for the whole generator: **${total == null ? 'n/a' : total / 1024 <= 5 ? 'met' : 'missed'}** (${kb2(total)} KB); moonshot ≤ 1.3× the floor of the same run: **${floor && total != null ? (total / floor <= 1.3 ? 'met' : 'missed') : 'n/a'}** (${ratioText}).`,
    '',
    '| Part | what it holds | plain sockets (B) | + lean driver (B) | whole generator (B) |',
    '| --- | --- | ---: | ---: | ---: |',
  );
  for (const part of rec.parts)
    out.push(`| ${part} | ${PART_WORDS[part] ?? ''} | ${b0(heapOf('socket', part))} | ${b0(heapOf('driver', part))} | ${b0(heapOf('mqbench', part))} |`);
  out.push(`| **heap total** | | ${b0(heapTotal('socket'))} | ${b0(heapTotal('driver'))} | ${b0(heapTotal('mqbench'))} |`);
  const runs = (stage) =>
    rec.runs[stage].map((r) => (r.error ? `failed: \`${r.error.split('\n')[0]}\`` : `${kb2(r.rssPerConnBytes)} (${f0(r.held)} held)`)).join(', ');
  out.push(
    '',
    `RSS: ${f0(c.connections)} connections (keepalive ${c.keepaliveSec} s, at most 100 handshakes at a time; mqbench: one worker thread, connect at 10,000/s, plus one client publishing 1 msg/s so the run lasts), held ${c.holdMs / 1000} s; (RSS while held − RSS just before connecting) ÷ connections held, median of ${c.runs} run${c.runs === 1 ? '' : 's'} per layer, the layers interleaved, each in its own process against a fresh mosquitto (\`bench/idleStage.js\`). Every run (KB): plain sockets ${runs('socket')}; + lean driver ${runs('driver')}; whole generator ${runs('mqbench')}. ` +
      "For the whole generator \"before\" is the worker thread's 'ready' (its devices already built), as in (c). " +
      `Heap: one more run per layer with ${f0(c.heapConnections)} connections, a V8 heap snapshot of the thread that holds the sockets (for mqbench its worker thread) before connecting and while they are held (\`bench/lib/heapParts.js\`): every object counts for the part of the nearest listed class up its chain of first retainers (self sizes; an object held by two owners counts once); the listed parts as held ÷ connections (a device exists before it connects), "other" as its growth ÷ connections. ` +
      "Plain sockets: CONNECT/CONNACK as pre-encoded frames and one shared listener; + lean driver: `leanDriver.connect()` from dist/ with one shared events object. The native part (RSS − heap) is mostly the socket's own: libuv handle, Node's C++ stream objects and the allocator's overhead; kernel socket buffers are not in RSS. KB = 1024 bytes.",
  );
  return out;
}

export function renderScaleSection(scale) {
  return [
    '## Scale figures',
    '',
    'Measured with the `mqbench` CLI (or, for (g), its Pacer) and, where there is one, a floor side by side; each figure is recorded on its own (`bench/results/scale.json`), with its own date and load, and a bench run replaces only the figures it ran.',
    '',
    '### (c3) bytes per idle connection, part by part (`--only idleBreakdown`, in the default set)',
    '',
    ...idleBreakdown(scale.idleBreakdown),
    '',
    '### (e) 51,000 idle connections: 3 generator processes → 3 mosquittos (`--only connections50k`, in the default set)',
    '',
    ...connections50k(scale.connections50k),
    '',
    '### (f) soak: 10,000 idle connections for 10 minutes (`--only soak`, not in the default set)',
    '',
    ...soak(scale.soak),
    '',
    '### (g) pacing precision and its CPU cost (`--only pacing`, in the default set)',
    '',
    ...pacing(scale.pacing),
    '',
    '### (h) a segment costs its share: segment 0/100 of 1,000,000 clients vs a 10,000-client run (`--only segmentCost`, in the default set)',
    '',
    ...segmentCost(scale.segmentCost),
    '',
  ].join('\n');
}

/** BENCHMARKS.md with the scale section placed after the figures of (a)-(d), before "## Machine". */
export function withScaleSection(md, scale) {
  const section = renderScaleSection(scale);
  const at = md.indexOf('\n## Machine\n');
  return at < 0 ? `${md}\n${section}` : `${md.slice(0, at)}\n${section}${md.slice(at)}`;
}
