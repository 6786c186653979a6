/**
 * `mqbench run` for one run — a whole run, or one segment of a distributed one: the flags make the scenario
 * and the run's dependencies, `runScenario` runs it, and the results are printed, written and turned into an
 * exit code. Its siblings `runProcesses` (N local processes) and `runComparison` (several targets) are chosen
 * by the run command (program.ts).
 */
import type { EmbeddedBroker } from '../broker/embedded.js';
import { brokerVersion } from '../driver/brokerInfo.js';
import { driverByName, requireDriver } from '../driver/registry.js';
import type { RunResult } from '../metrics/outcome.js';
import { defaultResultsPath } from '../report/json.js';
import { progressReporter } from '../report/progress.js';
import type { Reporter } from '../report/reporter.js';
import { runScenario, runThresholds, type RunDeps } from '../run.js';
import type { LoadedScenario } from '../scenario/load.js';
import { redactScenario, redactUrl } from '../scenario/redact.js';
import type { Scenario } from '../scenario/model.js';
import { VERSION } from '../shared/version.js';
import { ipcStartGate } from './children.js';
import { resolveDistributed, segmentInfo, type Distributed } from './distributed.js';
import { resultsExitCode, showAndSave } from './finish.js';
import { abortOnSignals, type CliIo } from './io.js';
import { checkOutBeforeRun } from './output.js';
import { checkCiFilesBeforeRun, writeCiFiles } from './ciFiles.js';
import { basename } from 'node:path';
import { startLiveMetrics, type LiveMetrics } from './prometheus.js';
import type { RunFlags, RunView } from './runFlags.js';
import { scenarioAsRun } from './overrides.js';
import { printScenarioWarnings } from './scenarioFile.js';
import { prepareTarget } from './target.js';
import { probeRunCapabilities } from './capabilityProbe.js';
import { loadRunScenario } from './scenarioFile.js';
import { observeRequest } from '../observe/request.js';

/** A run made ready: the scenario as it will run and everything `runScenario` is given besides. */
interface Prepared {
  scenario: Scenario;
  dist: Distributed;
  live: LiveMetrics | null;
  embedded: EmbeddedBroker | null;
  deps: RunDeps;
}

/**
 * One run; `view` says whether to print the summary and a live progress line (a comparison's runs do not).
 * `text`: the scenario made in memory by a quick command (`mqbench pub`), run as if it were the file `file`.
 */
export async function runOne(io: CliIo, file: string, flags: RunFlags, view: RunView = { summary: true, quiet: flags.quiet }, text?: string): Promise<number> {
  const loaded = await loadRunScenario(io, file, flags.segment?.count ?? 1, flags.scale, text);
  if (typeof loaded === 'number') return loaded;
  await checkOutBeforeRun(flags.out); // before anything connects: a bad --out must not cost a run
  await checkCiFilesBeforeRun(flags);
  const scenario = scenarioAsRun(loaded.scenario, { ...flags, broker: flags.brokers[0] });
  // Once per run: not again from each process of `run --processes` (quiet segments; the parent printed them).
  if (view.summary && !(flags.quiet && flags.segment)) printScenarioWarnings(io, loaded, scenario);
  requireDriver(flags.driver);
  const prepared = await prepare(io, loaded, scenario, flags);
  const abort = new AbortController();
  const releaseSignals = abortOnSignals(io, abort);
  const gate = prepared.dist.startAt === undefined ? ipcStartGate(io.env) : undefined; // a child of run --processes
  let result: RunResult;
  try {
    result = await runScenario(prepared.scenario, {
      ...prepared.deps,
      signal: abort.signal,
      startGate: gate?.gate,
      reporters: reportersOf(io, prepared, view),
    });
  } finally {
    gate?.close();
    releaseSignals();
    await prepared.embedded?.close();
  }
  if (flags.brokerLabel) result.results.target.label = flags.brokerLabel;
  result.results.scenarioFile = basename(file);
  return finishRun(io, prepared, result, { flags, view, interrupted: abort.signal.aborted });
}

/** Run identity, live metrics, the target made ready (the embedded broker started), its version and capabilities. */
async function prepare(io: CliIo, loaded: LoadedScenario, scenario: Scenario, flags: RunFlags): Promise<Prepared> {
  const redacted = { ...redactScenario(scenario, loaded.secretPaths), name: scenario.name };
  const dist = resolveDistributed(flags, scenario, redacted, Date.now());
  if (scenario.target.tls?.insecure === true)
    io.stderr.write('mqbench: WARNING: TLS certificate checks are off (target.tls.insecure: true): anyone on the path can read and alter the traffic.\n');
  const live = flags.prometheus
    ? await startLiveMetrics(flags.prometheus, { scenario: scenario.name, target: redactUrl(scenario.target.url), version: VERSION })
    : null;
  if (live) io.stderr.write(`mqbench: live metrics at ${live.url}\n`);
  // From here on, the scenario on the broker's real address (the embedded one's, when it is used).
  const { scenario: ready, embedded } = await prepareTarget(io, scenario);
  const driver = driverByName(flags.driver);
  const version = embedded ? `aedes ${embedded.version} (embedded)` : ((await brokerVersion(driver, ready.target)) ?? 'unknown');
  const probed = await probeRunCapabilities(io, ready, driver);
  const deps: RunDeps = {
    driver: flags.driver,
    workers: flags.workers,
    runId: dist.runId,
    runTag: dist.runTag,
    segment: dist.segment,
    probed,
    startAt: dist.startAt,
    thresholds: runThresholds(ready, flags.threshold),
    secretPaths: loaded.secretPaths,
    embedded: embedded !== null,
    brokerVersion: version,
    ...(dist.recorded ? { segmentRecord: (publishStart: number) => segmentInfo(dist, publishStart, io.env) } : {}),
    ...observeDeps(io, ready, flags, embedded, dist.segment.count > 1),
  };
  return { scenario: ready, dist, live, embedded, deps };
}

/** The broker to watch (src/observe): from target.observe, the --broker-* flags and the embedded broker; not in a segment. */
function observeDeps(io: CliIo, ready: Scenario, flags: RunFlags, embedded: EmbeddedBroker | null, segmented: boolean): Pick<RunDeps, 'observe' | 'onWarning'> {
  const asked = flags.brokerPid !== undefined || flags.brokerMetrics !== undefined || ready.target.observe !== undefined;
  if (segmented) {
    if (asked) io.stderr.write('mqbench: the broker is not observed in a segment of a distributed run (every segment would count it)\n');
    return {};
  }
  const observe = observeRequest(ready.target.observe, flags, embedded ? { pid: process.pid } : null);
  return observe ? { observe, onWarning: (w) => io.stderr.write(`mqbench: WARNING: ${w}\n`) } : {};
}

function reportersOf(io: CliIo, p: Prepared, view: RunView): Reporter[] {
  const header: Reporter = {
    onStart: (plan) => {
      const more = p.scenario.target.urls ? ` (+${p.scenario.target.urls.length - 1} more)` : '';
      io.stderr.write(
        `mqbench ${VERSION}: ${p.scenario.name} → ${redactUrl(p.scenario.target.url)}${more} | ${plan.totals.clients} clients on ${plan.workers.length} worker thread(s) | ${plan.totals.publishRate} msg/s planned\n`,
      );
      const d = p.dist;
      if (d.recorded)
        io.stderr.write(
          `mqbench: segment ${d.segment.index}/${d.segment.count} of run ${d.runId}${d.startAt ? `, publishing starts at ${new Date(d.startAt).toISOString()}` : ''}\n`,
        );
    },
  };
  const progress = progressReporter(io.stderr, { tty: Boolean(io.stderr.isTTY), quiet: view.quiet, columns: io.stderr.columns });
  return [header, progress, ...(p.live ? [p.live.reporter] : [])];
}

async function finishRun(io: CliIo, p: Prepared, result: RunResult, o: { flags: RunFlags; view: RunView; interrupted: boolean }): Promise<number> {
  const { results } = result;
  const segmented = p.dist.segment.count > 1;
  if (segmented && (p.deps.thresholds ?? []).length > 0)
    io.stderr.write("mqbench: thresholds are checked on the merged result (mqbench merge): one segment's delivery figures are partial\n");
  const out = o.flags.out ?? defaultResultsPath(p.scenario.name, new Date(results.startedAt));
  const saved = await showAndSave(io, results, out, o.view.summary);
  await p.live?.close();
  if (saved.ok) io.stderr.write(`results written to ${out}\n`);
  const code = resultsExitCode(io, results, { saved, interrupted: o.interrupted, verdictFail: o.flags.verdictFail && !segmented });
  return writeCiFiles(io, o.flags, [{ results, label: o.flags.brokerLabel }], code);
}
