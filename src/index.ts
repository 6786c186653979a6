/**
 * mqbench as a library: load a scenario, run it, and do with the results what the command line does —
 * merge the segments of a distributed run, compare runs, render a summary, a comparison or an HTML report.
 *
 *   import { formatProblem, loadScenario, loadTlsMaterial, renderSummary, runScenario } from 'mqbench';
 *   const validated = await loadScenario('scenarios/fanout.yaml', process.env);
 *   const loaded = validated.ok ? await loadTlsMaterial(validated.loaded) : validated;
 *   if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
 *   const { scenario, secretPaths } = loaded.loaded;
 *   const { results, timeline } = await runScenario(scenario, { secretPaths, driver: 'lean' });
 *   console.log(renderSummary(results));
 *
 * Everything not exported here is internal and may change between versions.
 */
export { runScenario, planScenario, runThresholds, type RunDeps } from './run.js';
export type { RunResult, RunTimeline, IntervalView } from './metrics/outcome.js';
export type { Reporter } from './report/reporter.js';
export type { RunPlan } from './plan/plan.js';

export { loadScenario, parseScenarioText, type LoadedScenario, type LoadResult } from './scenario/load.js';
export { loadTlsMaterial } from './scenario/tlsMaterial.js';
export type { Scenario } from './scenario/model.js';
export { startEmbeddedBroker, type EmbeddedBroker } from './broker/embedded.js';

export { mergeResults, type Shard } from './metrics/merge.js';
export { checkThresholds, combineThresholds } from './thresholds/evaluate.js';
export { parseThreshold, type Threshold } from './thresholds/parse.js';
export type { Results, Summary, RunStatus } from './metrics/types.js';
export { readResultsFile, writeResultsFile, RESULTS_SCHEMA_VERSION } from './report/json.js';

export { compareResults, renderComparison, type ComparisonItem, type ComparisonOptions } from './report/compare.js';
export { buildComparison, type Comparison, type RowResult as ComparedRow, type Side } from './report/compareModel.js';
export { difference, medianInterval, type DecisionOptions, type Difference } from './report/stats.js';
export { evaluateFailOn, parseFailOn } from './report/failOn.js';
export { renderJunit, runSuite } from './report/junit.js';
export { renderCsv } from './report/csv.js';
export { renderSummary, type RenderOptions } from './report/table.js';
export { renderHtmlReport, type HtmlReportOptions } from './report/html.js';
export { loadChartLibrary, type ChartLibrary } from './report/htmlAssets.js';
export { progressReporter } from './report/progress.js';
export { PrometheusExporter } from './report/prometheus.js';

export { ExitCode, UserError, formatProblem, type ScenarioProblem } from './shared/errors.js';
export { systemClock, type Clock } from './shared/clock.js';
export { VERSION } from './shared/version.js';
