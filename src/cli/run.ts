import { availableParallelism } from 'node:os';
import { runPlan } from '../coordinator/coordinator.js';
import { buildResults } from '../metrics/results.js';
import { checkThresholds, combineThresholds } from '../thresholds/evaluate.js';
import type { Threshold } from '../thresholds/parse.js';
import type { Results } from '../metrics/types.js';
import { buildRunPlan } from '../plan/plan.js';
import { defaultResultsPath } from '../report/json.js';
import { createProgressReporter } from '../report/progress.js';
import { renderSummary } from '../report/table.js';
import { thresholdsLine } from '../report/thresholdTable.js';
import { redactScenario, redactUrl } from '../scenario/redact.js';
import { systemClock } from '../shared/clock.js';
import { ExitCode, UserError } from '../shared/errors.js';
import { VERSION } from '../shared/version.js';
import { brokerVersion } from '../driver/brokerInfo.js';
import { driverByName } from '../driver/registry.js';
import { resolveDistributed, segmentInfo, type DistributedFlags } from './distributed.js';
import { abortOnSignals, loadRunScenario, prepareTarget, probeRunCapabilities } from './session.js';
import { scenarioAsRun } from './overrides.js';
import { printScenarioWarnings } from './scenarioFile.js';
import { completeExitCode } from './exitCode.js';
import { offersFrom } from '../metrics/capabilities.js';
import { runProcesses } from './processes.js';
import { ipcStartGate } from './children.js';
import { parseNamedBroker, runComparison } from './runMany.js';
import { basename } from 'node:path';
import { startLiveMetrics } from './prometheus.js';
import { checkOutBeforeRun, exitAfterSave, saveResultsOrRescue } from './output.js';

export interface RunFlags extends DistributedFlags {
  /** --broker, repeatable: one URL overrides the target; several (or label=url, or --repeat) compare targets. */
  broker?: string | string[];
  repeat?: number;
  markdown?: boolean;
  /** Print the summary table (off for each run of a comparison). */
  summary?: boolean;
  duration?: number;
  /** Multiply client counts (and their publish rates) by this factor. */
  scale?: number;
  workers?: number;
  out?: string;
  quiet?: boolean;
  driver: string;
  /** Extra thresholds from --threshold (parsed by the flag), checked with the scenario's. */
  threshold?: Threshold[];
  /** --prometheus: serve live metrics on http://127.0.0.1:<port>/metrics until the results are written. */
  prometheus?: number;
  /** --processes N: run the scenario as N local segment processes and merge their results. */
  processes?: number;
  /** false (--no-verdict-fail): a broken delivery promise does not fail the run (exit 3). */
  verdictFail?: boolean;
}

const err = (s: string) => process.stderr.write(s);

/** `mqbench run`: returns the exit code. */
export async function runCommand(file: string, flags: RunFlags): Promise<number> {
  const brokers = flags.broker === undefined ? [] : Array.isArray(flags.broker) ? flags.broker : [flags.broker];
  if (brokers.length > 1 || (flags.repeat ?? 1) > 1 || brokers.some((b) => /^[A-Za-z0-9_.-]+=/.test(b))) {
    const named = (brokers.length ? brokers : ['embedded']).map(parseNamedBroker);
    const dir = flags.out ?? 'results';
    await checkOutBeforeRun(dir, 'results', { folder: true });
    return runComparison(basename(file).replace(/\.ya?ml$/i, ''), { brokers: named, repeat: flags.repeat ?? 1, markdown: Boolean(flags.markdown), dir }, (b, out) =>
      runCommand(file, { ...flags, broker: b.url, repeat: 1, out, quiet: true, summary: false }), (t) => void process.stdout.write(t));
  }
  flags = { ...flags, broker: brokers[0] };
  if ((flags.processes ?? 1) > 1) return runProcesses(file, flags);
  const loaded = await loadRunScenario(file, flags.segment?.count ?? 1);
  if (typeof loaded === 'number') return loaded;
  await checkOutBeforeRun(flags.out); // before anything connects: a bad --out must not cost a run
  const scenario = scenarioAsRun(loaded.scenario, flags);
  // Once per run: not again from each process of `run --processes` (quiet segments; the parent printed them).
  if (flags.summary !== false && !(flags.quiet && flags.segment)) printScenarioWarnings(loaded, scenario);
  const workers = flags.workers ?? scenario.workers ?? Math.max(1, availableParallelism() - 1);
  const redacted = { ...redactScenario(scenario, loaded.secretPaths), name: scenario.name };
  const dist = resolveDistributed(flags, scenario, redacted, Date.now());
  const segmented = dist.segment.count > 1;
  const insecureTls = scenario.target.tls?.insecure === true;
  if (insecureTls) err('mqbench: WARNING: TLS certificate checks are off (target.tls.insecure: true): anyone on the path can read and alter the traffic.\n');

  const live = flags.prometheus ? await startLiveMetrics(flags.prometheus, { scenario: scenario.name, target: redactUrl(scenario.target.url), version: VERSION }) : null;
  if (live) err(`mqbench: live metrics at ${live.url}\n`);
  // From here on, the scenario on the broker's real address (the embedded one's, when it is used).
  const { scenario: ready, embedded } = await prepareTarget(scenario);
  const version = embedded ? `aedes ${embedded.version} (embedded)` : ((await brokerVersion(driverByName(flags.driver), ready.target)) ?? 'unknown');
  const probed = await probeRunCapabilities(ready, driverByName(flags.driver));

  const plan = buildRunPlan(ready, { workers, runId: dist.runId, runTag: dist.runTag, segment: dist.segment, offers: offersFrom(probed) });
  const more = ready.target.urls ? ` (+${ready.target.urls.length - 1} more)` : '';
  err(`mqbench ${VERSION}: ${ready.name} → ${redactUrl(ready.target.url)}${more} | ${plan.totals.clients} clients on ${plan.workers.length} worker thread(s) | ${plan.totals.publishRate} msg/s planned\n`);
  if (dist.recorded) err(`mqbench: segment ${dist.segment.index}/${dist.segment.count} of run ${dist.runId}${dist.startAt ? `, publishing starts at ${new Date(dist.startAt).toISOString()}` : ''}\n`);

  const abort = new AbortController();
  const releaseSignals = abortOnSignals(abort);
  const gate = dist.startAt === undefined ? ipcStartGate() : undefined; // a child of run --processes
  const progress = createProgressReporter(process.stderr, { tty: Boolean(process.stderr.isTTY), quiet: Boolean(flags.quiet), columns: process.stderr.columns });
  let results: Results;
  try {
    const outcome = await runPlan({ plan, driver: flags.driver, clock: systemClock, signal: abort.signal, onProgress: (p) => progress.update(p), onAggregate: live?.onAggregate, startAt: dist.startAt, startGate: gate?.gate });
    progress.done();
    live?.finish(outcome.agg);
    results = buildResults(outcome, {
      mqbenchVersion: VERSION,
      scenario: { ...redactScenario(ready, loaded.secretPaths), name: ready.name },
      targetUrl: redactUrl(ready.target.url),
      ...(ready.target.urls ? { targetUrls: ready.target.urls.map(redactUrl) } : {}),
      embedded: embedded !== null,
      brokerVersion: version,
      insecureTls,
      probed,
      ...(dist.recorded ? { segment: await segmentInfo(dist, outcome.publishStart) } : {}),
    });
  } finally {
    gate?.close();
    releaseSignals();
    await embedded?.close();
  }
  const thresholds = combineThresholds(ready.thresholds, flags.threshold ?? []);
  if (segmented && thresholds.length > 0) err('mqbench: thresholds are checked on the merged result (mqbench merge): one segment\'s delivery figures are partial\n');
  if (thresholds.length > 0 && !segmented) results.thresholds = checkThresholds(results, thresholds);
  const out = flags.out ?? defaultResultsPath(ready.name, new Date(results.startedAt));
  // The summary first: it is printed whatever happens to the file.
  if (flags.summary !== false) process.stdout.write(`${renderSummary(results, { color: Boolean(process.stdout.isTTY) })}\n`);
  const saved = await saveResultsOrRescue(out, results);
  await live?.close();
  if (saved.ok) err(`results written to ${out}\n`);
  if (results.thresholds) err(`${thresholdsLine(results.thresholds)}\n`);
  return exitAfterSave(saved, runExitCode(results, abort.signal.aborted, flags.verdictFail !== false && !segmented));
}

function runExitCode(results: Results, aborted: boolean, verdictFail: boolean): number {
  if (results.status === 'complete') return completeExitCode(results, verdictFail, (l) => err(`${l}\n`));
  if (aborted) return ExitCode.interrupted;
  err(`mqbench: run ${results.status}: ${results.statusReason ?? 'unknown reason'}\n`);
  return ExitCode.runFailed;
}
