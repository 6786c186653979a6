import { availableParallelism } from 'node:os';
import { randomBytes } from 'node:crypto';
import Table from 'cli-table3';
import { basename } from 'node:path';
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
import { checkCiFilesBeforeRun, writeCiFiles, type CiFlags } from './ciFiles.js';
import { capacitySuite } from '../report/junit.js';

export interface CapacityFlags extends CiFlags {
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
  await checkCiFilesBeforeRun(flags);
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
  const figures: { load: number; p99: number; lost: number; results: Results }[] = [];
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
      const outcome = await runPlan({ plan, driver: flags.driver, clock: systemClock, signal: abort.signal });
      const results = buildResults(outcome, { mqbenchVersion: VERSION, scenario: { ...redactScenario(s, loaded.secretPaths), name: s.name }, targetUrl: redactUrl(s.target.url), embedded: embedded !== null, probed });
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
      figures.push({ load: next.load, p99, lost: results.summary.messages.lost, results });
      err(`  step ${steps.length}: ${fmt(next.load)} ${unit} → p99 ${p99.toFixed(2)} ms, lost ${fmt(results.summary.messages.lost)}: ${step.saturated ? 'GENERATOR SATURATED' : step.ok ? 'pass' : `FAIL (${failed.join('; ')})`}\n`);
    }
  } finally {
    release();
    await embedded?.close();
  }
  return report(file, base, flags, slo, unit, steps, figures, verdict, abort.signal.aborted);
}

async function report(
  file: string, base: Scenario, flags: CapacityFlags, slo: readonly Threshold[], unit: string, steps: CapacityStep[],
  figures: { load: number; p99: number; lost: number; results: Results }[], verdict: { maxLoad: number | null; reason: string }, aborted: boolean,
): Promise<number> {
  const table = new Table({ head: ['step', unit, 'e2e p99 (ms)', 'lost', 'verdict'], style: { head: [], border: [], compact: true } });
  steps.forEach((s, i) => table.push([i + 1, fmt(s.load), figures[i].p99.toFixed(2), fmt(figures[i].lost), s.saturated ? 'generator saturated' : s.ok ? 'pass' : 'FAIL']));
  const best = figures.find((f) => f.load === verdict.maxLoad);
  const k = knee(figures.filter((f, i) => !steps[i].saturated).map((f) => ({ load: f.load, p99: f.p99 })));
  const capacity: CapacityResult & Record<string, unknown> = {
    slo: slo.map((t) => t.expression), steps: steps.map((s, i) => ({ rate: s.load, p99: figures[i].p99, lost: figures[i].lost, ok: s.ok, saturated: s.saturated })),
    maxRate: verdict.maxLoad, ...(k !== undefined ? { knee: k } : {}), searched: unit, reason: verdict.reason,
  };
  const headline = verdict.maxLoad === null
    ? `No sustainable ${unit} found: ${verdict.reason}.`
    : `Max sustainable: ${fmt(verdict.maxLoad)} ${unit} with e2e p99 ${best!.p99.toFixed(2)} ms (${verdict.reason}).${k !== undefined ? ` Knee near ${fmt(k)} ${unit}.` : ''}`;
  process.stdout.write(`${table.toString()}\n${headline}\n`);
  const source = best?.results ?? figures.at(-1)?.results;
  const code = aborted ? ExitCode.interrupted : verdict.maxLoad === null ? ExitCode.runFailed : ExitCode.ok;
  if (!source) return code;
  const out = flags.out ?? defaultResultsPath(`${base.name}-capacity`, new Date(source.startedAt));
  const written = { ...source, ...(aborted ? { status: 'partial' as const, statusReason: 'interrupted by the user' } : {}), capacity, scenarioFile: basename(file) } as Results;
  const saved = await saveResultsOrRescue(out, written);
  if (saved.ok) err(`results written to ${out}\n`);
  if (!saved.ok) return exitAfterSave(saved, aborted ? ExitCode.interrupted : ExitCode.ok);
  return writeCiFiles(flags, [{ results: written }], code, [capacitySuite(written, { maxLoad: verdict.maxLoad, reason: verdict.reason, unit })]);
}
