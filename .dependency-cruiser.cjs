// dependency-cruiser: the layer rules of DESIGN.md ("Seams", "Suggested layout"), checked by `npm run depcruise`.
// Only imports are visible here; "only src/cli/ touches process" is an ESLint rule (eslint.config.js).
// Tests (x.test.ts, *.test-helper.ts, test/) may reach into any layer, so the layer rules judge src/ code only.
const TESTS = '(\\.test\\.ts|\\.test-helper\\.ts)$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No import cycles in src/: a cycle means two modules are one; move what both need below both.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'mqtt-only-in-driver',
      severity: 'error',
      comment: 'Only src/driver/ imports mqtt / mqtt-packet (DESIGN.md "Seams"); the rest of the runtime talks to a Driver.',
      from: { path: '^src/', pathNot: ['^src/driver/', TESTS] },
      to: { path: '(^|/)node_modules/(mqtt|mqtt-packet)/' },
    },
    {
      name: 'worker-threads-only-in-coordinator-and-worker-entry',
      severity: 'error',
      comment: 'Only the coordinator and the worker entry import worker_threads (DESIGN.md "Seams"); the worker runtime is testable in-process.',
      from: { path: '^src/', pathNot: ['^src/coordinator/', '^src/worker/entry\\.ts$', TESTS] },
      to: { path: '^(node:)?worker_threads$' },
    },
    {
      name: 'scenario-imports-no-runtime',
      severity: 'error',
      comment:
        'src/scenario/ (load + validate) stands on the MQTT vocabulary (src/mqtt: protocol, topic and template grammar), ' +
        'threshold parsing (src/thresholds) and src/shared only: never on a runtime folder (worker, coordinator, driver, ' +
        'cli, report, metrics, observe, plan, ...).',
      from: { path: '^src/scenario/', pathNot: TESTS },
      to: { path: '^src/', pathNot: '^src/(scenario|mqtt|thresholds|shared)/' },
    },
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      comment: 'Shipped code never imports a test, a test helper or test/.',
      from: { path: '^src/', pathNot: TESTS },
      to: { path: ['\\.test\\.ts$', '\\.test-helper\\.ts$', '^test/'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing (a typo, a missing dependency).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|test/fixtures)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.test.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
