import { checkCiFilesBeforeRun, writeCiFiles, type CiFlags } from './ciFiles.js';
import { capacitySuite } from '../report/junit.js';
import { basename } from 'node:path';
import Table from 'cli-table3';
import type { EmbeddedBroker } from '../broker/embedded.js';
import type { Results } from '../metrics/types.js';
import { knee, nextStep, type CapacityStep } from '../plan/capacity.js';
import { scaleScenario } from '../plan/scale.js';
import type { CapacityResult } from '../report/capacityPoints.js';
import { defaultResultsPath } from '../report/json.js';
import { runScenario, type RunDeps } from '../run.js';
import { redactUrl } from '../scenario/redact.js';
import { groupPublishRate, type GroupSpec, type Scenario } from '../scenario/model.js';
import { ExitCode, UserError } from '../shared/errors.js';
import { parseThreshold, type Threshold } from '../thresholds/parse.js';
import { driverByName } from '../driver/registry.js';
import { observeFlagsOf, observeRequest, type ObserveFlags } from '../observe/request.js';
import { fdLimitOf } from '../observe/pidSource.js';
import { bindingResource, brokerName, type StepObservation } from '../capacity/binding.js';
import { brokerOfStep, stepBrokerText, stepObservation } from '../capacity/stepObservation.js';
import { fmtBytes } from '../report/brokerFigures.js';
import { abortOnSignals, type CliIo } from './io.js';
import { readOptions } from './options.js';
import { checkOutBeforeRun, exitAfterSave, saveResultsOrRescue } from './output.js';
import { overrideBroker } from './overrides.js';
import { printScenarioWarnings } from './scenarioFile.js';
import { prepareTarget } from './target.js';
import { probeRunCapabilities } from './capabilityProbe.js';
import { loadRunScenario } from './scenarioFile.js';

export interface CapacityFlags extends CiFlags, ObserveFlags {
  slo: string;
  from?: number;
  to?: number;
  broker?: string;
  stepDuration: number;
  workers?: number;
  out?: string;
  driver: string;
}

/** commander's option record of `capacity` → CapacityFlags. */
export function capacityFlagsFrom(o: Record<string, unknown>): CapacityFlags {
  const { num, str } = readOptions(o);
  return {
    slo: str('slo') ?? '',
    from: num('from'),
    to: num('to'),
    broker: str('broker'),
    stepDuration: num('stepDuration') ?? 5000,
    workers: num('workers'),
    out: str('out'),
    driver: str('driver') ?? 'mqttjs',
    junit: str('junit'),
    csv: str('csv'),
    ...observeFlagsOf(o),
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** The scenario at one load: total publish rate spread over the publishing groups as written, or a client count. */
function atLoad(base: Scenario, mode: 'rate' | 'connections', load: number, stepMs: number): Scenario {
  const clients = base.groups.reduce((n, g) => n + g.count, 0);
  const s = mode === 'connections' ? scaleScenario(base, load / clients) : base;
  const total = totalPublishRate(s);
  const atRate = (g: GroupSpec): GroupSpec =>
    g.publish ? { ...g, publish: { ...g.publish, rate: { kind: 'rate', perSec: (groupPublishRate(g) * load) / total } } } : g;
  return { ...s, groups: mode === 'rate' ? s.groups.map(atRate) : s.groups, durationMs: stepMs, warmupMs: Math.min(s.warmupMs, 2000) };
}

const totalPublishRate = (s: Scenario) => s.groups.reduce((r, g) => r + groupPublishRate(g), 0);

/** --slo: comma-separated threshold expressions, each checked now (a typo is a usage error before anything runs). */
function parseSlo(text: string): Threshold[] {
  const slo = text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map((expr) => {
      const p = parseThreshold(expr);
      if (!p.ok) throw new UserError(`--slo: ${p.message}`, ExitCode.usage, p.hint);
      return p.threshold;
    });
  if (slo.length === 0) throw new UserError('--slo needs at least one expression', ExitCode.usage, 'e.g. --slo "endToEnd.p99<20ms,messages.lost==0"');
  return slo;
}

/** What the search varies, and between which loads. */
interface Search {
  base: Scenario;
  mode: 'rate' | 'connections';
  unit: string;
  from: number;
  to: number;
  slo: Threshold[];
  /** The broker process's open-files limit, when it is watched by pid. */
  fdLimit?: number | null;
}

function searchOf(base: Scenario, flags: CapacityFlags, slo: Threshold[]): Search {
  const publishRate = totalPublishRate(base);
  const mode = publishRate > 0 ? 'rate' : 'connections';
  const current = mode === 'rate' ? publishRate : base.groups.reduce((n, g) => n + g.count, 0);
  return {
    base,
    mode,
    unit: mode === 'rate' ? 'msg/s' : 'connections',
    from: flags.from ?? Math.max(1, Math.round(current / 10)),
    to: flags.to ?? current * 100,
    slo,
  };
}

interface Figure {
  load: number;
  p99: number;
  lost: number;
  results: Results;
  /** What the step's run observed of the broker (empty of figures when it was not watched). */
  observed: StepObservation;
}

type Verdict = { maxLoad: number | null; reason: string };

/** `mqbench capacity`: step the load up, then bisect, until the SLO breaks. Returns the exit code. */
export async function capacityCommand(io: CliIo, file: string, flags: CapacityFlags): Promise<number> {
  const slo = parseSlo(flags.slo);
  const loaded = await loadRunScenario(io, file, 1);
  if (typeof loaded === 'number') return loaded;
  const wanted = flags.broker ? overrideBroker(loaded.scenario, flags.broker) : loaded.scenario;
  await checkOutBeforeRun(flags.out);
  await checkCiFilesBeforeRun(flags);
  const wantedSearch = searchOf(wanted, flags, slo);
  printScenarioWarnings(io, loaded, atLoad(wanted, wantedSearch.mode, wantedSearch.from, flags.stepDuration));
  // Every step runs on the broker's real address (the embedded one's, when it is used).
  const { scenario: base, embedded } = await prepareTarget(io, wanted);
  // Each step watches the broker from before its workers connect to after they closed (after the probe).
  const observe = observeRequest(base.target.observe, flags, embedded ? { pid: process.pid } : null);
  const fdLimit = observe?.pid !== undefined && observe.tid === undefined ? fdLimitOf(observe.pid) : null;
  const search: Search = { ...wantedSearch, base, fdLimit };
  const probed = await probeRunCapabilities(io, base, driverByName(flags.driver));
  const abort = new AbortController();
  const release = abortOnSignals(io, abort);
  io.stderr.write(
    `mqbench capacity: ${base.name} → ${redactUrl(base.target.url)}, searching ${search.unit} from ${fmt(search.from)} to ${fmt(search.to)}; SLO: ${slo.map((t) => t.expression).join(', ')}\n`,
  );
  const deps: RunDeps = {
    driver: flags.driver,
    workers: flags.workers,
    probed,
    signal: abort.signal,
    secretPaths: loaded.secretPaths,
    embedded: embedded !== null,
    thresholds: slo,
    ...(observe ? { observe, onWarning: (w: string) => io.stderr.write(`  WARNING: ${w}\n`) } : {}),
  };
  let found: { steps: CapacityStep[]; figures: Figure[]; verdict: Verdict };
  try {
    found = await searchCapacity(io, search, flags.stepDuration, deps);
  } finally {
    release();
    await closeBroker(embedded);
  }
  return report(io, search, { ...flags, file }, found, abort.signal.aborted);
}

const closeBroker = async (b: EmbeddedBroker | null) => b?.close();

/** Runs step after step until the search is done or interrupted. */
async function searchCapacity(
  io: CliIo,
  search: Search,
  stepMs: number,
  deps: RunDeps,
): Promise<{ steps: CapacityStep[]; figures: Figure[]; verdict: Verdict }> {
  const steps: CapacityStep[] = [];
  const figures: Figure[] = [];
  for (;;) {
    const next = nextStep(steps, { from: search.from, to: search.to });
    if (next.done) return { steps, figures, verdict: next };
    const { results } = await runScenario(atLoad(search.base, search.mode, next.load, stepMs), deps);
    if (deps.signal?.aborted) return { steps, figures, verdict: { maxLoad: null, reason: 'interrupted' } };
    const failed = (results.thresholds ?? []).filter((c) => !c.ok).map((c) => `${c.expression} (${c.note ?? `was ${fmt(c.actual)}`})`);
    if (results.status !== 'complete') failed.push(`run ${results.status}: ${results.statusReason ?? ''}`);
    // Messages still waiting for the broker when the step ended: it did not take the planned rate, whatever the SLO
    // says about loss (waits it caught up with show in the corrected latency instead).
    if ((results.summary.messages.waitingAtEnd ?? 0) > 0)
      failed.push(results.summary.backPressure?.reason ?? 'planned rate not reached (broker back-pressure)');
    const step = { load: next.load, ok: failed.length === 0, saturated: results.generator.saturated, failed };
    steps.push(step);
    const e2e = results.summary.latencyMs.endToEnd;
    const p99 = e2e.count > 0 ? e2e.p99 : results.summary.latencyMs.connect.p99;
    const observed = stepObservation(step, results, search.fdLimit);
    figures.push({ load: next.load, p99, lost: results.summary.messages.lost, results, observed });
    io.stderr.write(
      `  step ${steps.length}: ${fmt(next.load)} ${search.unit} → p99 ${p99.toFixed(2)} ms, lost ${fmt(results.summary.messages.lost)}${tailText(results.summary.messages)}${stepBrokerText(observed, fmtBytes)}: ${step.saturated ? 'GENERATOR SATURATED' : step.ok ? 'pass' : `FAIL (${failed.join('; ')})`}\n`,
    );
  }
}

async function report(
  io: CliIo,
  search: Search,
  flags: CapacityFlags & { file: string },
  found: { steps: CapacityStep[]; figures: Figure[]; verdict: Verdict },
  aborted: boolean,
): Promise<number> {
  const { steps, figures, verdict } = found;
  const { unit } = search;
  const watched = figures.some((f) => f.results.broker);
  const table = new Table({
    head: ['step', unit, 'e2e p99 (ms)', 'lost', ...(watched ? ['broker CPU (cores)', 'busiest thread', 'broker RSS'] : []), 'verdict'],
    style: { head: [], border: [], compact: true },
  });
  const cell = (x: number | undefined, f: (n: number) => string) => (x === undefined ? '–' : f(x));
  steps.forEach((s, i) => {
    const o = figures[i].observed;
    const broker = watched ? [cell(o.cores?.max, (x) => x.toFixed(2)), cell(o.busiestThread?.max, (x) => x.toFixed(2)), cell(o.rssBytes?.max, fmtBytes)] : [];
    table.push([i + 1, fmt(s.load), figures[i].p99.toFixed(2), fmt(figures[i].lost), ...broker, s.saturated ? 'generator saturated' : s.ok ? 'pass' : 'FAIL']);
  });
  const best = figures.find((f) => f.load === verdict.maxLoad);
  const k = knee(figures.filter((f, i) => !steps[i].saturated).map((f) => ({ load: f.load, p99: f.p99 })));
  const version = figures.find((f) => f.results.target.brokerVersion)?.results.target.brokerVersion;
  const binding = bindingResource(
    figures.map((f) => f.observed),
    { unit, broker: brokerName(version) },
  );
  const capacity: CapacityResult & Record<string, unknown> = {
    slo: search.slo.map((t) => t.expression),
    steps: steps.map((s, i) => ({
      rate: s.load,
      p99: figures[i].p99,
      lost: figures[i].lost,
      ok: s.ok,
      saturated: s.saturated,
      ...brokerOfStep(figures[i].observed),
    })),
    maxRate: verdict.maxLoad,
    ...(k !== undefined ? { knee: k } : {}),
    searched: unit,
    reason: verdict.reason,
    binding,
  };
  const headline =
    verdict.maxLoad === null
      ? `No sustainable ${unit} found: ${verdict.reason}.`
      : `Max sustainable: ${fmt(verdict.maxLoad)} ${unit} with e2e p99 ${best!.p99.toFixed(2)} ms (${verdict.reason}).${k !== undefined ? ` Knee near ${fmt(k)} ${unit}.` : ''}`;
  const limit = [`Binding resource: ${binding.text}`, ...binding.notes].join('\n');
  io.stdout.write(`${table.toString()}\n${headline}\n${limit}\n`);
  const source = best?.results ?? figures.at(-1)?.results;
  const code = aborted ? ExitCode.interrupted : verdict.maxLoad === null ? ExitCode.runFailed : ExitCode.ok;
  if (!source) return code;
  const out = flags.out ?? defaultResultsPath(`${search.base.name}-capacity`, new Date(source.startedAt));
  const written = {
    ...source,
    ...(aborted ? { status: 'partial' as const, statusReason: 'interrupted by the user' } : {}),
    capacity,
    scenarioFile: basename(flags.file),
  } as Results;
  const saved = await saveResultsOrRescue(io, out, written);
  if (saved.ok) io.stderr.write(`results written to ${out}\n`);
  if (!saved.ok) return exitAfterSave(saved, aborted ? ExitCode.interrupted : ExitCode.ok);
  return writeCiFiles(io, flags, [{ results: written }], code, [capacitySuite(written, { maxLoad: verdict.maxLoad, reason: verdict.reason, unit })]);
}

/** Of a step's lost, those maybe still queued when its drain ended (metrics/tail.ts), e.g. " (9 at the tail)". */
function tailText(m: { lost: number; lostAtTail?: number }): string {
  return m.lost > 0 && (m.lostAtTail ?? 0) > 0 ? ` (${(m.lostAtTail ?? 0).toLocaleString('en-US')} at the tail)` : '';
}
