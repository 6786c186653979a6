// One stage of the idle-connection breakdown (figure (c3), bench/lib/idleBreakdown.js), in its own process
// against its own mosquitto: N idle connections (keepalive 60 s) built up to one layer, then held.
//   socket   plain net sockets: CONNECT/CONNACK as pre-encoded frames, one shared 'data' listener (the floor)
//   driver   + mqbench's lean driver (dist/driver/lean.js): connection state, output, write ledger, session, keepalive
//   mqbench  + the whole generator: runScenario with one worker thread (devices, connector, receiver, ledgers)
// `measure: 'rss'`: RSS per connection ((RSS while held − RSS before connecting) ÷ held), nothing else done in
// the process. `measure: 'heap'`: the heap of the thread that holds the sockets, per part (bench/lib/heapParts.js),
// from a heap snapshot before connecting and one while the connections are held (streamed to files, parsed
// at the end); taking snapshots leaves native memory behind, so RSS is never read in the same process.
// Forked by the bench with one JSON argument; sends back one result message. (`debug: 'device'`: the heap
// run also lists the largest classes of that part.)
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { connectFrame } from './lib/frames.js';
import { heapParts, perConnection } from './lib/heapParts.js';
import { contender } from './lib/child.js';

const cfg = JSON.parse(process.argv[2]);
const dist = cfg.distDir ? pathToFileURL(`${cfg.distDir}/`) : new URL('../dist/', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'mqbench-heap-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rss = () => process.memoryUsage.rss();
let snaps = 0;

/** Streams a heap snapshot to a file; returns its path (parsed later, after the RSS readings). */
async function snapshotTo(stream) {
  const path = join(dir, `${snaps++}.heapsnapshot`);
  await pipeline(stream, createWriteStream(path));
  return path;
}
const heapRun = cfg.measure === 'heap';
const partsOf = (path) => heapParts(JSON.parse(readFileSync(path, 'utf8')), cfg.debug ? 25 : 0, cfg.debug);
const noSnapshot = async () => null;

/** Opens `n` connections with at most 100 handshakes at a time; returns them. */
async function openAll(n, open) {
  const out = [];
  let i = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: Math.min(100, n) }, async () => {
      while (i < n) {
        const k = i++;
        try {
          out.push(await open(k));
        } catch {
          failed++;
        }
      }
    }),
  );
  return { conns: out, failed };
}

// The socket stage: no per-socket closure (the connection resolves through a property of the socket).
/** @typedef {import('node:net').Socket & { connected: ((s: unknown) => void) | null, failed: ((e: Error) => void) | null }} RawSocket */
/** @this {RawSocket} */
function onSocketData() {
  const done = this.connected;
  if (done !== null) {
    this.connected = null;
    done(this);
  }
}
/** @this {RawSocket} */
function onSocketError() {
  const done = this.failed;
  this.connected = null;
  if (done) done(new Error('socket error'));
}
const openSocket = (k) =>
  new Promise((resolve, reject) => {
    const s = /** @type {RawSocket} */ (tcpConnect({ host: '127.0.0.1', port: cfg.port, noDelay: true }));
    s.connected = resolve;
    s.failed = reject;
    s.on('data', onSocketData);
    s.on('error', onSocketError);
    s.write(connectFrame(`idle-s-${k}`, 60));
  });

async function mainThreadStage() {
  let open = openSocket;
  if (cfg.stage === 'driver') {
    const { leanDriver } = await import(new URL('driver/lean.js', dist).href);
    const events = { onMessage() {}, onLost() {}, onDrain() {} };
    const url = `mqtt://127.0.0.1:${cfg.port}`;
    open = (k) => leanDriver.connect({ url, clientId: `idle-d-${k}`, protocolVersion: 4, clean: true, keepaliveSec: 60, timeoutMs: 30_000 }, events);
  }
  // One connection opened and closed first: the code and the module-level state are in "before".
  (await open('warm')).destroy();
  await sleep(300);
  const before = heapRun ? await snapshotTo(v8.getHeapSnapshot()) : null;
  const rssBefore = rss();
  const { conns, failed } = await openAll(cfg.connections, open);
  await sleep(cfg.holdMs);
  const rssAfter = rss();
  const after = heapRun ? await snapshotTo(v8.getHeapSnapshot()) : null;
  for (const c of conns) c.destroy();
  return { held: conns.length, failed, rssBefore, rssAfter, before, after };
}

async function mqbenchStage() {
  // Every Worker the coordinator makes is kept, for its heap snapshots.
  const require = createRequire(import.meta.url);
  const wt = require('node:worker_threads');
  const workers = [];
  const Base = wt.Worker;
  wt.Worker = class extends Base {
    /** @param {ConstructorParameters<typeof Base>} args */
    constructor(...args) {
      super(args[0], args[1]);
      workers.push(this);
    }
  };
  syncBuiltinESMExports();
  const { parseScenarioText, runScenario } = await import(new URL('index.js', dist).href);
  const yaml = [
    'name: bench-idle-breakdown',
    'target:',
    `  url: mqtt://127.0.0.1:${cfg.port}`,
    '  mqttVersion: 3.1.1',
    'workers: 1',
    'warmup: 0s',
    'duration: 10m',
    'drain: 0s',
    'groups:',
    '  - name: idle',
    `    count: ${cfg.connections}`,
    '    connect: { rate: 10000/s, keepalive: 60s, timeout: 30s }',
    '  - name: tick',
    '    count: 1',
    '    connect: { keepalive: 60s }',
    '    publish: { topic: "bench/{run}/tick", qos: 0, rate: 1/s, payload: { size: 32 } }',
  ].join('\n');
  const parsed = parseScenarioText(yaml, 'bench-idle-breakdown.yaml', {});
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  const abort = new AbortController();
  const out = {};
  const steps = new Promise((resolve, reject) => {
    const watch = setInterval(() => {
      const w = workers[0];
      if (!w) return;
      clearInterval(watch);
      let state = 'ready';
      w.on('message', (m) => {
        if (m.type === 'ready' && state === 'ready') {
          state = 'snapshotting';
          out.rssBefore = rss();
          (heapRun ? w.getHeapSnapshot().then(snapshotTo) : noSnapshot()).then((p) => ((out.before = p), (state = 'connecting')), reject);
        } else if (m.type === 'connected') {
          sleep(cfg.holdMs)
            .then(() => {
              out.rssAfter = rss();
              return heapRun ? w.getHeapSnapshot().then(snapshotTo) : null;
            })
            .then((p) => ((out.after = p), resolve()), reject);
        }
      });
    }, 1);
  });
  const run = runScenario(parsed.loaded.scenario, { workers: 1, driver: 'lean', mqbenchVersion: 'bench', signal: abort.signal });
  await Promise.race([steps, run.then(() => Promise.reject(new Error('the run ended before its connections were held')))]);
  abort.abort();
  const { results } = await run;
  out.held = results.summary.connections.succeeded - 1; // the tick client is not idle
  out.failed = results.summary.connections.failed;
  return out;
}

async function main() {
  const r = cfg.stage === 'mqbench' ? await mqbenchStage() : await mainThreadStage();
  const held = Math.max(1, r.held);
  const base = { stage: cfg.stage, measure: cfg.measure, connections: cfg.connections, held: r.held, failed: r.failed };
  if (!heapRun) return { ...base, rssBefore: r.rssBefore, rssAfter: r.rssAfter, rssPerConnBytes: (r.rssAfter - r.rssBefore) / held };
  const after = partsOf(r.after);
  const heap = perConnection(partsOf(r.before), after, held);
  return {
    ...base,
    heapPerConn: heap,
    heapPerConnBytes: Object.values(heap).reduce((a, b) => a + b, 0),
    ...(cfg.debug ? { top: after.top } : {}),
  };
}

await contender(main, { name: 'idle stage', timeoutMs: cfg.timeoutMs ?? 180_000, cleanup: () => rmSync(dir, { recursive: true, force: true }) });
