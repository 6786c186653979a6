import { availableParallelism } from 'node:os';
import { randomBytes } from 'node:crypto';
import Table from 'cli-table3';
import { runPlan } from '../coordinator/coordinator.js';
import { checkThresholds } from '../thresholds/evaluate.js';
import { parseThreshold, type Threshold } from '../thresholds/parse.js';
import { buildResults } from '../metrics/results.js';
import type { Results } from '../metrics/types.js';
import { knee, nextStep, type CapacityStep } from '../plan/capacity.js';
import { buildRunPlan } from '../plan/plan.js';
import { scaleScenario } from '../plan/scale.js';
import type { CapacityResult } from '../report/capacityShape.js';
import { defaultResultsPath } from '../report/json.js';
import { checkOutBeforeRun, exitAfterSave, saveResultsOrRescue } from './output.js';
import { redactScenario, redactUrl } from '../scenario/redact.js';
import { groupPublishRate, type GroupSpec, type Scenario } from '../scenario/model.js';
import { systemClock } from '../shared/clock.js';
import { ExitCode, UserError } from '../shared/errors.js';
import { connectionLimits } from '../shared/fdlimit.js';
import { VERSION } from '../shared/version.js';
import { abortOnSignals, prepareTarget, probeRunCapabilities } from './session.js';
import { overrideBroker } from './overrides.js';
import { loadScenarioFile, printScenarioWarnings } from './scenarioFile.js';
import { offersFrom } from '../metrics/capabilities.js';
import { driverByName } from '../driver/registry.js';
import { observeRequest, type ObserveFlags } from '../observe/request.js';
import { startRunObserver } from '../observe/runObserver.js';
import { fdLimitOf } from '../observe/pidSource.js';
import { bindingResource, brokerName, type StepObservation } from '../capacity/binding.js';
import { stepBrokerText, stepObservation } from '../capacity/stepObservation.js';
import { fmtBytes } from '../report/brokerFigures.js';

export interface CapacityFlags extends ObserveFlags {
  slo: string;
  from?: number;
  to?: number;
  broker?: string;
  stepDuration: number;
  workers?: number;
  out?: string;
  driver: string;
}

const err = (s: string) => process.stderr.write(s);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** The scenario at one load: total publish rate spread over the publishing groups as written, or a client count. */
function atLoad(base: Scenario, mode: 'rate' | 'connections', load: number, stepMs: number): Scenario {
  const clients = base.groups.reduce((n, g) => n + g.count, 0);
  const s = mode === 'connections' ? scaleScenario(base, load / clients) : base;
  const total = totalPublishRate(s);
  const atRate = (g: GroupSpec): GroupSpec => (g.publish ? { ...g, publish: { ...g.publish, rate: { kind: 'rate', perSec: (groupPublishRate(g) * load) / total } } } : g);
  return { ...s, groups: mode === 'rate' ? s.groups.map(atRate) : s.groups, durationMs: stepMs, warmupMs: Math.min(s.warmupMs, 2000) };
}

const totalPublishRate = (s: Scenario) => s.groups.reduce((r, g) => r + groupPublishRate(g), 0);

/** `mqbench capacity`: step the load up, then bisect, until the SLO breaks. Returns the exit code. */
export async function capacityCommand(file: string, flags: CapacityFlags): Promise<number> {
  const slo: Threshold[] = flags.slo.split(',').map((x) => x.trim()).filter(Boolean).map((expr) => {
    const p = parseThreshold(expr);
    if (!p.ok) throw new UserError(`--slo: ${p.message}`, ExitCode.usage, p.hint);
    return p.threshold;
  });
  if (slo.length === 0) throw new UserError('--slo needs at least one expression', ExitCode.usage, 'e.g. --slo "endToEnd.p99<20ms,messages.lost==0"');
  const loaded = await loadScenarioFile(file, connectionLimits());
  if (typeof loaded === 'number') return loaded;
  const wanted = flags.broker ? overrideBroker(loaded.scenario, flags.broker) : loaded.scenario;
  await checkOutBeforeRun(flags.out);
  const publishRate = totalPublishRate(wanted);
  const mode = publishRate > 0 ? 'rate' : 'connections';
  const unit = mode === 'rate' ? 'msg/s' : 'connections';
  const current = mode === 'rate' ? publishRate : wanted.groups.reduce((n, g) => n + g.count, 0);
  const from = flags.from ?? Math.max(1, Math.round(current / 10));
  const to = flags.to ?? current * 100;
  printScenarioWarnings(loaded, atLoad(wanted, mode, from, flags.stepDuration));
  // Every step runs on the broker's real address (the embedded one's, when it is used).
  const { scenario: base, embedded } = await prepareTarget(wanted);
  const probed = await probeRunCapabilities(base, driverByName(flags.driver));
  const abort = new AbortController();
  const release = abortOnSignals(abort);
  const steps: CapacityStep[] = [];
  const figures: { load: number; p99: number; lost: number; results: Results; observed: StepObservation }[] = [];
  // Each step watches the broker from before its workers connect to after they closed (after the probe).
  const watch = observeRequest(base.target.observe, flags, embedded ? { pid: process.pid } : null);
  const fdLimit = watch?.pid !== undefined && watch.tid === undefined ? fdLimitOf(watch.pid) : null;
  err(`mqbench capacity: ${base.name} → ${redactUrl(base.target.url)}, searching ${unit} from ${fmt(from)} to ${fmt(to)}; SLO: ${slo.map((t) => t.expression).join(', ')}\n`);
  let verdict: { maxLoad: number | null; reason: string } = { maxLoad: null, reason: 'interrupted' };
  try {
    for (;;) {
      const next = nextStep(steps, { from, to });
      if (next.done) {
        verdict = next;
        break;
      }
      const s = atLoad(base, mode, next.load, flags.stepDuration);
      const plan = buildRunPlan(s, { workers: flags.workers ?? Math.max(1, availableParallelism() - 1), runId: randomBytes(3).toString('hex'), runTag: randomBytes(4).readUInt32LE(0), offers: offersFrom(probed) });
      const watcher = watch ? await startRunObserver(watch, { target: base.target, driver: driverByName('mqttjs'), clock: systemClock }) : null;
      let results: Results;
      try {
        const outcome = await runPlan({ plan, driver: flags.driver, clock: systemClock, signal: abort.signal });
        results = buildResults(outcome, { mqbenchVersion: VERSION, scenario: { ...redactScenario(s, loaded.secretPaths), name: s.name }, targetUrl: redactUrl(s.target.url), embedded: embedded !== null, probed });
        if (watcher) {
          const watched = await watcher.finish(results, outcome.publishStart);
          results = watched.results;
          for (const w of watched.warnings) err(`  WARNING: ${w}\n`);
        }
      } finally {
        await watcher?.stop();
      }
      if (abort.signal.aborted) break;
      const checks = checkThresholds(results, slo);
      const failed = checks.filter((c) => !c.ok).map((c) => `${c.expression} (${c.note ?? `was ${fmt(c.actual)}`})`);
      if (results.status !== 'complete') failed.push(`run ${results.status}: ${results.statusReason ?? ''}`);
      // Messages still waiting for the broker when the step ended: it did not take the planned rate, whatever the SLO
      // says about loss (waits it caught up with show in the corrected latency instead).
      if ((results.summary.messages.waitingAtEnd ?? 0) > 0) failed.push(results.summary.backPressure?.reason ?? 'planned rate not reached (broker back-pressure)');
      const step = { load: next.load, ok: failed.length === 0, saturated: results.generator.saturated, failed };
      steps.push(step);
      const p99 = results.summary.latencyMs.endToEnd.count > 0 ? results.summary.latencyMs.endToEnd.p99 : results.summary.latencyMs.connect.p99;
      const observed = stepObservation(step, results, fdLimit);
      figures.push({ load: next.load, p99, lost: results.summary.messages.lost, results, observed });
      err(`  step ${steps.length}: ${fmt(next.load)} ${unit} → p99 ${p99.toFixed(2)} ms, lost ${fmt(results.summary.messages.lost)}${stepBrokerText(observed, fmtBytes)}: ${step.saturated ? 'GENERATOR SATURATED' : step.ok ? 'pass' : `FAIL (${failed.join('; ')})`}\n`);
    }
  } finally {
    release();
    await embedded?.close();
  }
  return report(base, flags, slo, unit, steps, figures, verdict, abort.signal.aborted);
}

async function report(
  base: Scenario, flags: CapacityFlags, slo: readonly Threshold[], unit: string, steps: CapacityStep[],
  figures: { load: number; p99: number; lost: number; results: Results; observed: StepObservation }[], verdict: { maxLoad: number | null; reason: string }, aborted: boolean,
): Promise<number> {
  const watched = figures.some((f) => f.results.broker);
  const table = new Table({ head: ['step', unit, 'e2e p99 (ms)', 'lost', ...(watched ? ['broker CPU (cores)', 'busiest thread', 'broker RSS'] : []), 'verdict'], style: { head: [], border: [], compact: true } });
  const cell = (x: number | undefined, f: (n: number) => string) => (x === undefined ? '–' : f(x));
  steps.forEach((s, i) => {
    const o = figures[i].observed;
    const broker = watched ? [cell(o.cores?.max, (x) => x.toFixed(2)), cell(o.busiestThread?.max, (x) => x.toFixed(2)), cell(o.rssBytes?.max, fmtBytes)] : [];
    table.push([i + 1, fmt(s.load), figures[i].p99.toFixed(2), fmt(figures[i].lost), ...broker, s.saturated ? 'generator saturated' : s.ok ? 'pass' : 'FAIL']);
  });
  const best = figures.find((f) => f.load === verdict.maxLoad);
  const k = knee(figures.filter((f, i) => !steps[i].saturated).map((f) => ({ load: f.load, p99: f.p99 })));
  const version = figures.find((f) => f.results.target.brokerVersion)?.results.target.brokerVersion;
  const binding = bindingResource(figures.map((f) => f.observed), { unit, broker: brokerName(version) });
  const capacity: CapacityResult & Record<string, unknown> = {
    slo: slo.map((t) => t.expression),
    steps: steps.map((s, i) => ({ rate: s.load, p99: figures[i].p99, lost: figures[i].lost, ok: s.ok, saturated: s.saturated, ...brokerOfStep(figures[i].observed) })),
    maxRate: verdict.maxLoad, ...(k !== undefined ? { knee: k } : {}), searched: unit, reason: verdict.reason,
    binding,
  };
  const headline = verdict.maxLoad === null
    ? `No sustainable ${unit} found: ${verdict.reason}.`
    : `Max sustainable: ${fmt(verdict.maxLoad)} ${unit} with e2e p99 ${best!.p99.toFixed(2)} ms (${verdict.reason}).${k !== undefined ? ` Knee near ${fmt(k)} ${unit}.` : ''}`;
  const limit = [`Binding resource: ${binding.text}`, ...binding.notes].join('\n');
  process.stdout.write(`${table.toString()}\n${headline}\n${limit}\n`);
  const source = best?.results ?? figures.at(-1)?.results;
  if (source) {
    const out = flags.out ?? defaultResultsPath(`${base.name}-capacity`, new Date(source.startedAt));
    const saved = await saveResultsOrRescue(out, { ...source, ...(aborted ? { status: 'partial' as const, statusReason: 'interrupted by the user' } : {}), capacity } as Results);
    if (saved.ok) err(`results written to ${out}\n`);
    if (!saved.ok) return exitAfterSave(saved, aborted ? ExitCode.interrupted : ExitCode.ok);
  }
  if (aborted) return ExitCode.interrupted;
  return verdict.maxLoad === null ? ExitCode.runFailed : ExitCode.ok;
}

/** A step's broker figures as the capacity field records them (`capacity.steps[i].broker`). */
function brokerOfStep(o: StepObservation): { broker?: Record<string, unknown> } {
  const b = { cpuCores: o.cores, maxThreadCpuCores: o.busiestThread, maxThreadDemandCores: o.busiestDemand, cpuPercentOfHost: o.percentOfHost, rssBytes: o.rssBytes, fds: o.fds, fdLimit: o.fdLimit, connections: o.connections };
  const present = Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined));
  return o.cores || o.rssBytes || o.busiestThread ? { broker: present } : {};
}
