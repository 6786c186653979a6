// The command line of `npm run bench` (bench/run.js): its usage text and its options. Bad usage is a
// UsageError, which bench/run.js prints as one line plus the usage and exits 2 for (no stack trace).

/**
 * The help text; `figureIds` are the figures of record (bench/lib/figures.js), `scaleFigures` the scale
 * figures ({ id, inDefaultSet }, bench/lib/scale.js).
 */
export function usage(figureIds, scaleFigures) {
  const notDefault = scaleFigures.filter((f) => !f.inDefaultSet).map((f) => f.id);
  return `Usage: node bench/run.js [options]   (or: npm run bench -- [options])

mqbench against a raw baseline (raw sockets, no MQTT library), side by side, on a private mosquitto; writes
BENCHMARKS.md and the record bench/results/latest.json (a run replaces only the figures and drivers it ran).

Options:
  --only IDS          comma-separated figures to run (default: all${notDefault.length ? ` but ${notDefault.join(', ')}` : ''}):
                        ${figureIds.join(',')}
                        ${scaleFigures.map((f) => f.id).join(',')} (scale figures, bench/results/scale.json)
  --drivers NAMES     mqbench drivers to measure (default: mqttjs,lean); the raw floor is always measured
  --runs N            runs per figure, medians reported (default 3, with --quick 1; at most 10)
  --connections N     connections of figure (c) (default and at most 19,900)
  --quick             1 short run; writes bench/results/quick.md and quick.json, never the record
  --no-profile        no CPU profile of the figures with a missed target
  --results-dir DIR   read and write the records and the Markdown in DIR instead of bench/results and
                      the repository root
  --render-only       measure nothing: rewrite the Markdown from the records already there
  -h, --help          print this help

Compare two record files: npm run bench:compare -- old.json new.json
`;
}

/** Bad command-line usage: exit 2, one line and the usage, no stack trace. */
export class UsageError extends Error {}

function positive(flag, v) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag}: expected a positive integer, got ${v}`);
  return n;
}

/** argv (without node and the script) → options; `help: true` for -h / --help. Throws UsageError. */
export function parseArgs(argv) {
  const o = { quick: false, runs: null, connections: 19_900, only: null, drivers: null, profile: true, resultsDir: null, renderOnly: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '-h' || a === '--help') o.help = true;
    else if (a === '--quick') o.quick = true;
    else if (a === '--runs') o.runs = positive(a, val());
    else if (a === '--connections') o.connections = positive(a, val());
    else if (a === '--only') o.only = val().split(',');
    else if (a === '--drivers') o.drivers = val().split(',');
    else if (a === '--no-profile') o.profile = false;
    else if (a === '--results-dir') o.resultsDir = val();
    else if (a === '--render-only') o.renderOnly = true;
    else throw new UsageError(`unknown option ${a}`);
  }
  o.runs ??= o.quick ? 1 : 3;
  if (o.connections > 19_900) throw new UsageError('--connections: at most 19,900 (open-files limit 20,000 per process, minus headroom)');
  if (o.runs > 10) throw new UsageError('--runs: at most 10');
  return o;
}
