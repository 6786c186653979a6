/**
 * The composition root: one run, assembled in one place — plan → coordinator (worker threads) → results →
 * thresholds and delivery verdicts. `mqbench run` (a whole run or one segment), every step of `capacity`,
 * every run of a comparison, the tests and the benchmarks all call `runScenario`; what differs between them
 * (where output goes, who starts the broker, how the run identity is chosen) comes in through `RunDeps`.
 *
 * It prints nothing and touches no process state: progress and live metrics are Reporters, the results are
 * returned (writing and rendering them is the caller's business).
 */
import { availableParallelism } from 'node:os';
import { randomBytes } from 'node:crypto';
import { runPlan } from './coordinator/coordinator.js';
import { driverByName, requireDriver, DEFAULT_DRIVER } from './driver/registry.js';
import type { ObserveRequest } from './observe/request.js';
import { startRunObserver } from './observe/runObserver.js';
import { offersFrom } from './metrics/capabilities.js';
import { timelineOf, type IntervalView, type RunResult } from './metrics/outcome.js';
import { brokenPromises } from './metrics/qosVerdict.js';
import { buildResults, type ResultsContext } from './metrics/results.js';
import type { SegmentInfo } from './metrics/segmentTypes.js';
import type { ProbedCapability, Results } from './metrics/types.js';
import { buildRunPlan, type RunPlan } from './plan/plan.js';
import { WHOLE_RUN, type Segment } from './plan/segment.js';
import type { Reporter } from './report/reporter.js';
import { redactScenario, redactUrl } from './scenario/redact.js';
import type { Scenario } from './scenario/model.js';
import { systemClock, type Clock } from './shared/clock.js';
import { ExitCode, UserError } from './shared/errors.js';
import { checkThresholds, combineThresholds } from './thresholds/evaluate.js';
import type { Threshold } from './thresholds/parse.js';
import { VERSION } from './shared/version.js';

export type { RunResult, RunTimeline, IntervalView } from './metrics/outcome.js';
export type { Reporter } from './report/reporter.js';

/** Everything a run needs besides the scenario. All optional: the defaults make a plain run on this machine. */
export interface RunDeps {
  /** MQTT client implementation: 'mqttjs' (default) or 'lean'. */
  driver?: string;
  /** Worker threads (default: the scenario's `workers`, else CPU cores − 1, at least 1). */
  workers?: number;
  clock?: Clock;
  /** Aborting stops the run at once; what was measured is kept (status "partial"). */
  signal?: AbortSignal;
  reporters?: readonly Reporter[];
  /** Run identity ({run} in ids and topics; the payload tag). Default: random, whole run. */
  runId?: string;
  runTag?: number;
  segment?: Segment;
  /** What the broker probe before the run found: deliveries the broker does not offer are not expected. */
  probed?: ProbedCapability[];
  /** Epoch ms at which publishing begins (segments of a distributed run). Default: once connected. */
  startAt?: number;
  /** A start barrier shared with other processes: resolves with the epoch ms publishing begins at. */
  startGate?: () => Promise<number>;
  /** Thresholds to check (default: the scenario's). Not checked for one segment of a run. */
  thresholds?: readonly Threshold[];
  /** Scenario paths whose values came from the environment (LoadedScenario.secretPaths): redacted in the results. */
  secretPaths?: readonly string[];
  /** How the results describe the target. */
  embedded?: boolean;
  brokerVersion?: string;
  /** A segment's `segment` record, given when publishing began (epoch ms, 0 if it never did). */
  segmentRecord?: (publishStart: number) => Promise<SegmentInfo>;
  /** The compiled worker entry (tests and benchmarks running a copy of dist/). */
  workerEntry?: URL;
  mqbenchVersion?: string;
  /**
   * Watch the broker during the run (src/observe: observeRequest): started just before the workers connect,
   * stopped after they closed, on this thread; its figures go into `results.broker` and `intervals[i].broker`.
   * Not for one segment of a distributed run (every segment would count the broker).
   */
  observe?: ObserveRequest | null;
  /** A problem that does not fail the run (a broker observation source that failed). */
  onWarning?: (text: string) => void;
}

/** The thresholds a run checks: the scenario's and `extra` (e.g. --threshold), each expression once. */
export function runThresholds(scenario: Scenario, extra: readonly Threshold[] = []): Threshold[] {
  return combineThresholds(scenario.thresholds, extra);
}

/** The plan `runScenario` runs (exported so a caller can show it beforehand; runScenario makes its own). */
export function planScenario(scenario: Scenario, deps: RunDeps = {}): RunPlan {
  return buildRunPlan(scenario, {
    workers: deps.workers ?? scenario.workers ?? Math.max(1, availableParallelism() - 1),
    runId: deps.runId ?? randomBytes(3).toString('hex'),
    runTag: deps.runTag ?? randomBytes(4).readUInt32LE(0),
    segment: deps.segment ?? WHOLE_RUN,
    offers: offersFrom(deps.probed ?? []),
  });
}

/**
 * Runs a validated scenario against its target (`target.url` must be a broker URL: start the embedded broker
 * first and put its URL there). Resolves when the run is over, interrupted or failed: a failed run is a
 * result with `status: 'failed'`, not an exception. Throws a UserError for an unknown driver.
 */
export async function runScenario(scenario: Scenario, deps: RunDeps = {}): Promise<RunResult> {
  const driver = deps.driver ?? DEFAULT_DRIVER;
  if (scenario.target.url === 'embedded')
    throw new UserError('runScenario needs a broker URL, not "embedded"', ExitCode.usage, 'start one with startEmbeddedBroker() and set target.url to its url');
  requireDriver(driver);
  const reporters = deps.reporters ?? [];
  const plan = planScenario(scenario, deps);
  for (const r of reporters) r.onStart?.(plan);
  const clock = deps.clock ?? systemClock;
  const watcher =
    deps.observe && plan.segment.count <= 1
      ? await startRunObserver(deps.observe, { target: scenario.target, driver: driverByName(DEFAULT_DRIVER), clock })
      : null;
  let outcome;
  try {
    outcome = await runPlan({
      plan,
      driver,
      clock,
      signal: deps.signal,
      workerEntry: deps.workerEntry,
      startAt: deps.startAt,
      startGate: deps.startGate,
      onInterval: (view: IntervalView) => {
        for (const r of reporters) r.onInterval?.(view);
      },
    });
  } catch (err) {
    await watcher?.stop();
    throw err;
  }
  let results = buildResults(outcome, await resultsContext(scenario, deps, outcome.publishStart));
  if (watcher) {
    const watched = await watcher.finish(results, outcome.publishStart);
    results = watched.results;
    for (const w of watched.warnings) deps.onWarning?.(w);
  }
  const result = judge(results, plan.segment.count > 1 ? [] : (deps.thresholds ?? runThresholds(scenario)));
  const done = { ...result, timeline: timelineOf(outcome) };
  for (const r of reporters) await r.onEnd?.(done);
  return done;
}

/** How the results describe the run: the scenario (secrets redacted), the target, the probe, the segment. */
async function resultsContext(scenario: Scenario, deps: RunDeps, publishStart: number): Promise<ResultsContext> {
  const urls = scenario.target.urls;
  return {
    mqbenchVersion: deps.mqbenchVersion ?? VERSION,
    scenario: { ...redactScenario(scenario, [...(deps.secretPaths ?? [])]), name: scenario.name },
    targetUrl: redactUrl(scenario.target.url),
    ...(urls ? { targetUrls: urls.map(redactUrl) } : {}),
    embedded: deps.embedded ?? false,
    ...(deps.brokerVersion ? { brokerVersion: deps.brokerVersion } : {}),
    insecureTls: scenario.target.tls?.insecure === true,
    probed: deps.probed ?? [],
    ...(deps.segmentRecord ? { segment: await deps.segmentRecord(publishStart) } : {}),
  };
}

/** Checks the thresholds into `results.thresholds` and lists the broken delivery promises of a complete run. */
function judge(results: Results, thresholds: readonly Threshold[]): Omit<RunResult, 'timeline'> {
  if (thresholds.length > 0) results.thresholds = checkThresholds(results, thresholds);
  return {
    results,
    brokenPromises: results.status === 'complete' ? brokenPromises(results.summary) : [],
    thresholdsPassed: !(results.thresholds?.some((t) => !t.ok) ?? false),
  };
}
