// Renders the bench report (BENCHMARKS.md) from the figures the run produced. Nothing here computes or
// adjusts a measurement: it only formats what bench/run.js collected.
import { FAN_IDS, fanDetails, fanMethod } from './fanReport.js';
import { measuredGroups } from './records.js';
import { whyMissed } from './reasons.js';
import { missedSummary, whySection } from './reasonsReport.js';

const ratioText = (r) => (r === null || r === undefined ? '—' : `${r.toFixed(2)}×`);
const metText = (m) => (m === true ? '**met**' : m === false ? '**missed**' : 'n/a');
const la = (a) => a.map((x) => x.toFixed(2)).join(' / ');

const dateOf = (iso) => (iso ? iso.slice(0, 16).replace('T', ' ') : '—');
const contenderName = (c) => (c === 'raw' ? 'raw floor' : c);
const whenText = (meta) => `${dateOf(meta.generatedAt)}${meta.quick ? ' (quick)' : ''}, ${meta.machine.loadAvgStart[0].toFixed(2)}`;

/** When (and under which load) a figure's values were measured: one entry per run that measured some of them. */
function measuredText(rep) {
  const groups = measuredGroups(rep);
  if (groups.length === 1) return whenText(groups[0].meta);
  return groups.map((g) => `${g.contenders.map(contenderName).join(', ')}: ${whenText(g.meta)}`).join('; ');
}

/** Drivers kept from an older run than the floor shown: their ratio is against the floor of their own run. */
function floorNotes(recs) {
  const out = [];
  for (const rep of recs) {
    const f = rep.figures[0];
    const meta = Object.fromEntries(measuredGroups(rep).flatMap((g) => g.contenders.map((c) => [c, g.meta])));
    for (const d of rep.drivers) {
      const rows = f.rows.filter((r) => r.floorOfRun?.[d] != null);
      if (rows.length === 0) continue;
      out.push(
        `- ${f.title.split(' ')[0]} mqbench (${d}) was measured ${dateOf(meta[d]?.generatedAt)}, in an earlier run than the floor shown: its "÷ floor" and floor-relative targets are against the floor of that run (${rows.map((r) => `${r.label} ${fmtNum(r.floorOfRun[d])}`).join(', ')}).`,
      );
    }
  }
  return out.length ? `\n${out.join('\n')}\n` : '';
}

/**
 * One table for every figure of record: raw floor, mqbench per driver, the ratio and the target, and when
 * (and under which load) each figure was measured, since each keeps its own record.
 */
function figuresTable(recs) {
  const ds = [...new Set(recs.flatMap((r) => r.drivers))];
  const head = [
    'Figure',
    'Metric',
    'Raw floor',
    ...ds.flatMap((d) => [`mqbench (${d})`, `${d} ÷ floor`]),
    'Target (mqbench)',
    ...ds.map((d) => `${d}: target`),
    'Measured (UTC, load 1 min)',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`];
  for (const rep of recs) {
    const f = rep.figures[0];
    f.rows.forEach((row, i) => {
      const unit = row.unit ? ` (${row.unit})` : '';
      const cells = [
        i === 0 ? f.title : '',
        `${row.label}${unit}`,
        row.rawText,
        ...ds.flatMap((d) => (rep.drivers.includes(d) ? [row.valueText[d] ?? 'not run', ratioText(row.ratios[d])] : ['not run', '—'])),
        row.target ?? '—',
        ...ds.map((d) =>
          !row.target ? '—' : rep.drivers.includes(d) && row.valueText[d] !== 'not run' ? metText(row.checks.find((c) => c.driver === d)?.met) : 'not run',
        ),
        i === 0 ? measuredText(rep) : '',
      ];
      lines.push(`| ${cells.join(' | ')} |`);
    });
  }
  return lines.join('\n');
}

function perRunTables(rep) {
  const out = [];
  const groups = measuredGroups(rep);
  const when = Object.fromEntries(groups.flatMap((g) => g.contenders.map((c) => [c, groups.length > 1 ? ` (${dateOf(g.meta.generatedAt)})` : ''])));
  for (const f of rep.figures) {
    const n = Math.max(1, ...f.rows.flatMap((row) => Object.values(row.perRun).map((v) => v.length)));
    out.push(
      `**${f.title}**`,
      '',
      `| Metric | Contender | ${Array.from({ length: n }, (_, i) => `run ${i + 1}`).join(' | ')} | median |`,
      `| --- | --- |${' --- |'.repeat(n + 1)}`,
    );
    for (const row of f.rows) {
      for (const [c, vals] of Object.entries(row.perRun)) {
        const med = c === 'raw' ? row.raw : row.values[c];
        const cells = Array.from({ length: n }, (_, i) => (i >= vals.length ? '' : vals[i] === null || vals[i] === undefined ? 'failed' : fmtNum(vals[i])));
        out.push(
          `| ${row.label}${row.unit ? ` (${row.unit})` : ''} | ${c === 'raw' ? 'raw baseline' : `mqbench ${c}`}${when[c] ?? ''} | ${cells.join(' | ')} | ${med == null ? '—' : fmtNum(med)} |`,
        );
      }
    }
    const fails = Object.entries(f.failures).filter(([, e]) => e.length > 0);
    for (const [c, errs] of fails) out.push('', `Failed runs (${c}): ${errs.map((e) => `\`${e.split('\n')[0]}\``).join('; ')}`);
    out.push('');
  }
  return out.join('\n');
}

const mib = (b) => (b == null ? '—' : (b / 2 ** 20).toFixed(0));
const fmtRate = (n) => (n == null ? '—' : Math.round(n).toLocaleString('en-US'));

function fmtNum(n) {
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 1) return n.toFixed(2);
  return n.toFixed(3);
}

function runDetails(rep) {
  // Facts from the runs that explain the figures: saturation, misses, failures, connect errors.
  const out = [];
  for (const f of rep.figures) {
    for (const d of rep.drivers) {
      const rs = rep.runs[f.id][d].filter((r) => !r.error);
      if (rs.length === 0) continue;
      const sat = rs.filter((r) => r.saturated).length;
      const bits = [`status ${[...new Set(rs.map((r) => r.status))].join('/')}`];
      if (sat) bits.push(`saturated in ${sat}/${rs.length} runs (${rs.find((r) => r.saturated).saturatedReason})`);
      if (f.id === 'qos0' || f.id === 'qos1') bits.push(`summary.messages.sent ${rs.map((r) => r.sent.toLocaleString('en-US')).join(', ')}`);
      if (f.id === 'qos0' && rs.some((r) => r.fixed)) bits.push(`at ${fixedText(rs)}`);
      if (f.id === 'qos1') bits.push(`publish→ack p50 ${rs.map((r) => r.publishAckMs?.p50?.toFixed(1) ?? '—').join(', ')} ms`);
      if (f.id === 'idle') {
        bits.push(
          `connect latency p50 ${rs.map((r) => r.connectMs?.p50?.toFixed(0)).join(', ')} ms, p99 ${rs.map((r) => r.connectMs?.p99?.toFixed(0)).join(', ')} ms`,
        );
        bits.push(`connect phase ${rs.map((r) => r.connectPhaseSec?.toFixed(2)).join(', ')} s`);
        bits.push(`first half of the connections at ${rs.map((r) => fmtRate(r.firstHalfPerSec)).join(', ')} conn/s (from the per-second series, ±1 s)`);
        bits.push(`RSS before → after ${rs.map((r) => `${mib(r.rssBefore)} → ${mib(r.rssAfter)}`).join(', ')} MiB`);
        bits.push(`peak RSS ${rs.map((r) => (r.rssPeak / 2 ** 20).toFixed(0)).join(', ')} MiB`);
        const errs = rs.flatMap((r) => Object.entries(r.errors ?? {}));
        if (errs.length) bits.push(`connect errors ${errs.map(([k, v]) => `${k} ×${v}`).join(', ')}`);
      }
      if (f.id === 'latency')
        bits.push(`late sends ${rs.map((r) => r.lateSends).join(', ')} of ${rs.map((r) => r.sent).join(', ')}; lost ${rs.map((r) => r.lost).join(', ')}`);
      out.push(`- ${f.id}, mqbench ${d}: ${bits.join('; ')}.`);
    }
    if (FAN_IDS.includes(f.id)) out.push(fanDetails(rep, f));
    const raws = (rep.runs[f.id].raw ?? []).filter((r) => !r.error);
    if (f.id === 'idle' && raws.length) {
      out.push(
        `- idle, raw baseline: connect phase ${raws.map((r) => r.connectPhaseSec.toFixed(2)).join(', ')} s; first half of the connections at ${raws.map((r) => fmtRate(r.firstHalfPerSec)).join(', ')} conn/s; RSS before → after ${raws.map((r) => `${mib(r.rssBefore)} → ${mib(r.rssAfter)}`).join(', ')} MiB; peak RSS ${raws.map((r) => (r.rssPeak / 2 ** 20).toFixed(0)).join(', ')} MiB; failed ${raws.map((r) => r.failed).join(', ')}.`,
      );
    }
    if (f.id === 'latency' && raws.length) {
      out.push(`- latency, raw baseline: sent ${raws.map((r) => r.sent).join(', ')}, received ${raws.map((r) => r.received).join(', ')}.`);
    }
    if (f.id === 'idle') {
      const of = [
        ...new Set(
          Object.values(rep.runs[f.id])
            .flat()
            .filter((r) => !r.error)
            .map((r) => r.brokerOpenFiles),
        ),
      ];
      out.push(`- mosquitto's open-files limit during the idle runs: ${of.join(', ')}.`);
    }
  }
  return out.join('\n');
}

/** (a)'s fixed-rate phase, per run: status, msg/s sent, late sends, saturation. */
function fixedText(rs) {
  const fx = rs.map((r) => r.fixed).filter(Boolean);
  const sat = fx.filter((x) => x.saturated).length;
  return (
    `${fmtRate(fx[0].rate)}/s offered: status ${[...new Set(fx.map((x) => x.status))].join('/')}, sent ${fx.map((x) => `${fmtRate(x.sentPerSec)}/s`).join(', ')}, late sends ${fx.map((x) => x.lateSends).join(', ')}` +
    `${sat ? `, saturated in ${sat}/${fx.length} runs (${fx.find((x) => x.saturated).saturatedReason})` : ''}`
  );
}

/** How (a), (b) read the broker's CPU, for records that have it. */
const BROKER_CPU_METHOD =
  " Broker CPU: mosquitto's user + system time from /proc/<pid>/stat over the same window ÷ its length, in cores (mqbench: sampled every 50 ms with its own CPU and interpolated at the window's ends; floor: read at the window's ends); mosquitto is single-threaded, so about 1 core is its ceiling.";

function method(rep) {
  const c = Object.fromEntries(rep.figures.map((f) => [f.id, f.configs]));
  const broker = (id) => (rep.figures.find((f) => f.id === id)?.rows.some((r) => r.key === 'brokerCores') ? BROKER_CPU_METHOD : '');
  const lines = [];
  if (c.qos0)
    lines.push(
      `- **(a) QoS 0**: baseline: ${c.qos0.raw.clients} sockets, each writing up to ${c.qos0.raw.batch} frames per event-loop turn in one corked write, pausing on back-pressure ('drain'), for ${c.qos0.raw.durationMs / 1000} s; msg/s = frames handed to the sockets ÷ window. mqbench: ${c.qos0.mqbench.clients} publishers, no subscriber, \`rate: ${c.qos0.mqbench.rate.toLocaleString('en-US')}/s\` (far above what either can do), \`warmup: ${c.qos0.mqbench.warmupMs / 1000}s\`, \`duration: ${c.qos0.mqbench.durationMs / 1000}s\`; msg/s = \`summary.throughput.sentPerSec\`. CPU per 100k for both = CPU used during the measured window ÷ messages sent in it × 100,000 (for mqbench the window is the run's timeline [measureFrom, measureEnd], CPU interpolated from 50 ms samples). ${c.qos0.mqbench.warmupMs ? `Both contenders send for ${c.qos0.raw.warmupMs / 1000} s before the window opens (the baseline: its window starts then; mqbench: \`warmup\`, sent but not measured), so the figures are the steady state, without the first moments when the JIT is still compiling the hot path (mqbench's worker thread starts cold in every run: a new V8 isolate).` : 'No warm-up.'}${c.qos0.mqbench.fixedRate ? ` Then, for the CPU at a load the broker takes (the issue's own condition), each contender runs again, fresh sockets or a fresh mqbench run against the same mosquitto, paced at ${c.qos0.mqbench.fixedRate.toLocaleString('en-US')} msg/s offered in total for the same duration: mqbench with \`rate: ${c.qos0.mqbench.fixedRate.toLocaleString('en-US')}/s\`, the floor sending, per socket and event-loop turn, the frames its share of the elapsed time allows (at most ${c.qos0.raw.batch}, one corked write) and waiting a 1 ms timer when caught up (no spinning); the "at 200k/s offered" rows are msg/s and CPU per 100k of that run, measured as above.` : ''}${broker('qos0')}`,
    );
  if (c.qos1)
    lines.push(
      `- **(b) QoS 1**: baseline: ${c.qos1.raw.clients} sockets, each keeping ${c.qos1.raw.window} publishes in flight, the next one sent on each PUBACK (PUBACKs parsed from the stream, replacements corked into one write per read). mqbench: the scenario of (a) at QoS 1 with \`rate: ${c.qos1.mqbench.rate.toLocaleString('en-US')}/s\` (twice the target, so the generator and its in-flight windows, not the schedule, are the limit) and mqbench's own window of 20 per client; msg/s = \`sentPerSec\`; CPU per 100k as in (a).${broker('qos1')}`,
    );
  if (c.idle)
    lines.push(
      `- **(c) idle**: ${c.idle.raw.connections.toLocaleString('en-US')} connections, keepalive 60 s, held ${c.idle.raw.holdMs / 1000} s. Baseline: CONNECT/CONNACK only, at most ${c.idle.raw.concurrency} handshakes at a time (mosquitto's listen backlog is 100); rate = connections ÷ time from the first connect() to the last CONNACK. mqbench: one group of ${c.idle.mqbench.connections.toLocaleString('en-US')} clients, \`connect: { rate: ${c.idle.mqbench.connectRate.toLocaleString('en-US')}/s, keepalive: 60s }\` (twice the target rate) plus one extra client publishing 1 msg/s QoS 0 to nobody, because a run without publishing ends as soon as it has connected; rate = \`summary.latencyMs.connect.count\` ÷ connect phase (from the coordinator's connect barrier to all workers reporting 'connected'). RSS per connection = (RSS after the hold − RSS before connecting) ÷ connections held; for mqbench "before" is sampled at the connect barrier, when the worker thread is already up (its start-up garbage is in "before" and may be released later, which can only make the per-connection figure look smaller). KB = 1024 bytes. All connections go from 127.0.0.1 to one broker port, each on its own port of the ephemeral range (range in the machine table). Both the baseline and mqbench (lean) bind a source port they pick themselves (a walk over that range from a random start, a taken port skipped) before connect(): left to the kernel, connect() searches the range for a free port, which took a growing share of the time as connections accumulated (the connect() system call, \`internalConnect\` self time, was 36-58% of the profile at 19,900 connections before mqbench picked its ports). The rate over the first half of the connections is listed under "What the runs showed" for the baseline.`,
    );
  for (const id of ['connect1k', 'connect5k']) {
    if (c[id])
      lines.push(
        `- **connect rate at ${c[id].raw.connections.toLocaleString('en-US')} connections** (the curve: (c1), (c2) and (c) at 19,900): as (c), with \`connect: { rate: ${c[id].mqbench.connectRate.toLocaleString('en-US')}/s }\` for mqbench (4× the target, so the generator and the broker, not the schedule, set the rate; mqbench bounds the handshakes in flight per worker: \`HANDSHAKES_IN_FLIGHT\` in src/worker/runner.ts of the measured build) and at most ${c[id].raw.concurrency} handshakes at a time for the raw floor; held ${c[id].raw.holdMs / 1000} s.`,
      );
  }
  for (const id of FAN_IDS) if (c[id]) lines.push(fanMethod(id, c[id].mqbench));
  if (c.latency)
    lines.push(
      `- **(d) latency**: ${c.latency.mqbench.rate.toLocaleString('en-US')} msg/s QoS 1 from 1 publisher to ${c.latency.mqbench.subscribers} subscribers round-robin (one topic per subscriber, QoS 1 subscriptions), ${c.latency.mqbench.warmupMs / 1000} s warm-up then ${c.latency.mqbench.durationMs / 1000} s measured. Baseline: the same shape on raw sockets in one process, open-model schedule (message k due at t0 + k ms, setTimeout-paced), intended and actual send times in the payload, subscribers PUBACK and record receive − intended (corrected) and receive − actual send (uncorrected); exact percentiles. mqbench: \`summary.latencyMs.endToEnd\` (corrected) and \`endToEndUncorrected\` (HDR). The target is checked against both p50s; "corrected" is the one mqbench reports as end-to-end.`,
    );
  return lines.join('\n');
}

function profilesSection(rep) {
  const out = [];
  for (const p of rep.profiles) {
    out.push(`*mqbench ${p.driver}*`, '');
    if (p.error) {
      out.push(`Profiling failed: \`${p.error.split('\n')[0]}\``, '');
      continue;
    }
    const threads = p.summary.threads.map((t) => `${t.busySec.toFixed(2)} s busy / ${t.idleSec.toFixed(2)} s idle`).join('; ');
    out.push(`Profiled run: ${p.run}. Threads (main first): ${threads}. Files: \`${p.dir}/\`.`, '', `**Reading:** ${p.reading}`, '');
    out.push('| self % | function | module | where |', '| ---: | --- | --- | --- |');
    for (const fn of p.summary.functions) out.push(`| ${fn.selfPercent.toFixed(1)} | \`${fn.fn}\` | ${fn.module} | ${fn.where ? `\`${fn.where}\`` : ''} |`);
    out.push(
      '',
      `By category: ${p.summary.categories
        .filter((c) => c.selfPercent >= 1)
        .map((c) => `${c.category} ${c.selfPercent.toFixed(1)}%`)
        .join(', ')}.`,
    );
    out.push(
      '',
      `By module: ${p.summary.modules
        .filter((m) => m.selfPercent >= 1)
        .map((m) => `${m.module} ${m.selfPercent.toFixed(1)}%`)
        .join(', ')}.`,
      '',
    );
  }
  return out.join('\n');
}

function idleNote(recs) {
  const idle = recs.find((r) => r.figures[0].id === 'idle')?.figures[0];
  const n = idle?.configs.raw.connections;
  return n && n !== 19_900
    ? `\nThe idle-connection targets are stated for 19,900 connections; the record of (c) used ${n.toLocaleString('en-US')} (\`--connections\`), so its figures are not comparable with them.`
    : '';
}

/** Where one figure's values come from: per run that measured some of its contenders, command, dates, load, build. */
function recordHeader(rep) {
  const groups = measuredGroups(rep);
  return groups
    .map(({ contenders, meta }) => {
      const m = meta.machine;
      const who = groups.length > 1 ? ` of ${contenders.map(contenderName).join(', ')}` : '';
      return (
        `Record${who}: \`${meta.command}\`, ${meta.generatedAt} → ${meta.finishedAt}${meta.quick ? ' (**--quick**: 1 short run, not a figure of record)' : ''}; median of ${meta.runsPerFigure} run${meta.runsPerFigure === 1 ? '' : 's'}; ` +
        `mqbench ${meta.build.version}, dist sha256 \`${meta.build.distSha256}\`; load average ${la(m.loadAvgStart)} at start, ${la(m.loadAvgEnd)} at end` +
        `${meta.driversSkipped?.length ? `; drivers not in that build, so not measured: ${meta.driversSkipped.join(', ')}` : ''}.`
      );
    })
    .join('\n\n');
}

/** `recs`: one record per figure (bench/lib/records.js), in display order. */
export function renderMarkdown(recs, { jsonName = 'latest.json' } = {}) {
  if (recs.length === 0) return '# mqbench benchmarks\n';
  const newest = [...recs].sort((a, b) => b.generatedAt.localeCompare(a.generatedAt))[0];
  const m = newest.machine;
  const why = new Map(recs.map((rep) => [rep, whyMissed(rep)]));
  const perFigure = recs.flatMap((rep) => {
    const f = rep.figures[0];
    return [
      `### ${f.title}`,
      '',
      recordHeader(rep),
      '',
      '**What the runs showed**',
      '',
      runDetails(rep) || '(nothing beyond the figures)',
      '',
      '**Every run**',
      '',
      perRunTables(rep),
      '**Method**',
      '',
      method(rep),
      '',
      ...whySection(why.get(rep)),
      ...(rep.profiles.length ? ['**CPU profiles of missed targets**', '', profilesSection(rep)] : []),
    ];
  });
  return [
    '# mqbench benchmarks',
    '',
    `Generated by \`bench/run.js\`. Every figure keeps its own record (\`bench/results/${jsonName}\`, one entry per figure, and in it each contender's values with the command, date, build and machine load of the run that measured them): a bench run replaces only the figures and contenders it ran (\`npm run bench -- --only qos1\` refreshes (b) and leaves the others; \`--drivers lean\` refreshes the floor and lean and keeps mqttjs's values). Every number below is the program's own output; re-run the command to refresh a figure, do not edit figures by hand. Compare two records with \`npm run bench:compare -- old.json new.json\`.`,
    '',
    '## Figures',
    '',
    figuresTable(recs),
    '',
    `Targets (from the project's issues) apply to mqbench; "÷ floor" is mqbench's median divided by the raw floor's median (the same load on raw sockets, no MQTT library; for CPU, RSS and latency, higher is worse). Each contender keeps the values of the last run that measured it (a run with \`--drivers lean\` refreshes the floor and lean only): "Measured" lists one date per run when a figure's contenders come from different runs.`,
    '',
    missedSummary(recs, why),
    floorNotes(recs),
    idleNote(recs),
    '',
    '## Machine',
    '',
    '| | |',
    '| --- | --- |',
    `| CPU | ${m.cpuModel}, ${m.cores} cores |`,
    `| RAM | ${m.ramGiB.toFixed(1)} GiB |`,
    `| OS | ${m.os} |`,
    `| Node | ${m.node} |`,
    `| mosquitto | ${m.mosquitto} |`,
    `| ephemeral ports (net.ipv4.ip_local_port_range) | ${m.ephemeralPorts} |`,
    '',
    `As seen by the newest record (${newest.generatedAt}). The compiled \`dist/\` is copied aside at the start of every bench run and that copy measured (its sha256 is in each record). The machine is shared: other processes were running during the runs (see each record's load averages), so figures move between runs; the medians and every run are shown.`,
    '',
    '## The figures, one by one',
    '',
    ...perFigure,
    '## Method (all figures)',
    '',
    "- Broker: a fresh `/usr/sbin/mosquitto` for every single measurement, on a free 127.0.0.1 port, started from `sh -c 'ulimit -n 20000; exec mosquitto -c …'` with `listener <port> 127.0.0.1`, `allow_anonymous true`, `set_tcp_nodelay true`, `max_queued_messages 1000000`, `max_connections -1`, `persistence false`. MQTT 3.1.1 everywhere.",
    "- Every contender runs in its own Node process (`child_process.fork`), one after the other (runs interleave: run 1 of every figure and contender, then run 2, …). CPU is `process.cpuUsage()` of that process (user + system, all threads, so mqbench's coordinator and worker threads are both counted; mosquitto is not). Medians per contender, then ratio = mqbench median ÷ raw floor median.",
    '- **Raw floor** (`bench/raw.js`): `net` sockets with TCP_NODELAY, CONNECT written by hand, pre-encoded PUBLISH frames (64-byte payload shaped like the mqbench header); no MQTT library anywhere.',
    "- **mqbench** (`bench/mqbench.js`): `parseScenarioText` → `runScenario` from the public API (`dist/index.js`), i.e. the coordinator and its worker thread(s) as `mqbench run` uses them, with the CLI's default worker count on this machine.",
    '- CPU profiles: for each figure with a missed target, the mqbench side is run once more under `node --cpu-prof` (same scenario; profiles of the main thread and the worker thread(s) merged). Self time per function as a share of the samples where a thread was busy; `(idle)` samples are left out. The reading line is generated from these shares, with functions grouped into coarse categories by `bench/lib/profile.js`.',
    '',
  ].join('\n');
}
