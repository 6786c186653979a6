// Summarises V8 .cpuprofile files (from `node --cpu-prof`): self time per function and per module,
// as a share of the samples where a thread was busy ((idle) samples are left out of the total).
import { readFileSync } from 'node:fs';

function moduleOf(url, name) {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(program)') return 'V8/native (program)';
  if (!url) return 'V8/native';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return 'node core';
  const d = /\/dist\/([^/]+)\//.exec(url);
  if (d) return `mqbench ${d[1]}`;
  if (/\/bench\//.test(url)) return 'bench harness';
  return 'other';
}

function shortUrl(url) {
  if (!url) return '';
  const nm = /node_modules\/(.*)$/.exec(url);
  if (nm) return nm[1];
  const d = /\/(dist\/.*)$/.exec(url);
  if (d) return d[1];
  const b = /\/(bench\/.*)$/.exec(url);
  if (b) return b[1];
  return url.replace(/^file:\/\//, '');
}

/** Reads several profiles (e.g. the main thread and each worker thread of one process) and merges them. */
export function summarizeProfiles(files, top = 12) {
  const byFn = new Map();
  const byModule = new Map();
  const byCategory = new Map();
  const threads = [];
  let busy = 0;
  let idle = 0;
  for (const file of files) {
    const prof = JSON.parse(readFileSync(file, 'utf8'));
    const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
    // Sample i lasted until sample i+1: attribute timeDeltas[i + 1] to it (microseconds).
    const selfUs = new Map();
    const { samples, timeDeltas } = prof;
    for (let i = 0; i < samples.length; i++) {
      const dt = i + 1 < timeDeltas.length ? timeDeltas[i + 1] : 0;
      selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + Math.max(0, dt));
    }
    let threadBusy = 0;
    let threadIdle = 0;
    for (const [id, us] of selfUs) {
      const cf = nodes.get(id).callFrame;
      const name = cf.functionName || '(anonymous)';
      // The precise timer's helper thread (src/shared/preciseTimer.ts, an eval'd script) blocks in Atomics.wait at
      // its top level: the profiler samples that as running code, but it sleeps on a futex, so it is idle time.
      if (name === '(idle)' || (name === '(anonymous)' && cf.url === '[worker eval]')) {
        threadIdle += us;
        continue;
      }
      threadBusy += us;
      const where = cf.url ? `${shortUrl(cf.url)}:${cf.lineNumber + 1}` : '';
      const key = `${name} ${where}`;
      const e = byFn.get(key) ?? { fn: name, where, module: moduleOf(cf.url, name), us: 0 };
      e.us += us;
      byFn.set(key, e);
      const m = moduleOf(cf.url, name);
      byModule.set(m, (byModule.get(m) ?? 0) + us);
      const c = categoryOf(name, m, where);
      byCategory.set(c, (byCategory.get(c) ?? 0) + us);
    }
    threads.push({ file: file.split('/').pop(), busySec: threadBusy / 1e6, idleSec: threadIdle / 1e6 });
    busy += threadBusy;
    idle += threadIdle;
  }
  const pct = (us) => (busy > 0 ? (100 * us) / busy : 0);
  const functions = [...byFn.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({ fn: e.fn, where: e.where, module: e.module, selfPercent: pct(e.us) }));
  const modules = [...byModule.entries()].sort((a, b) => b[1] - a[1]).map(([module, us]) => ({ module, selfPercent: pct(us) }));
  const categories = [...byCategory.entries()].sort((a, b) => b[1] - a[1]).map(([category, us]) => ({ category, selfPercent: pct(us) }));
  return { busySec: busy / 1e6, idleSec: idle / 1e6, threads, functions, modules, categories };
}

const SOCKET_IO = new Set([
  'writev',
  'writeBuffer',
  'writeUtf8String',
  'writeLatin1String',
  'writevGeneric',
  'writeGeneric',
  'handleWriteReq',
  'onStreamRead',
  'readStart',
  'shutdown',
  'close',
]);
const STARTUP = new Set(['wrapSafe', 'compileSourceTextModule', 'compileForInternalLoader', 'compileFunction', 'readFileSync', 'moduleStrategy']);
const CLIENT_MODULES = new Set([
  'mqtt',
  'mqtt-packet',
  'bl',
  'debug',
  'rfdc',
  'readable-stream',
  'mqbench driver',
  'process-nextick-args',
  'duplexify',
  'end-of-stream',
]);

/** A coarse, mechanical label for where a function's self time belongs. */
export function categoryOf(fn, module, where = '') {
  if (fn === '(garbage collector)') return 'garbage collection';
  if (fn === 'internalConnect') return 'connect() system call';
  if (SOCKET_IO.has(fn)) return 'socket I/O (write/read system calls)';
  if (STARTUP.has(fn) || module === 'zod' || module === 'yaml' || /^node:internal\/(modules|bootstrap)\//.test(where))
    return 'start-up (loading, compiling, scenario parsing)';
  if (CLIENT_MODULES.has(module)) return 'MQTT client code';
  if (module === 'hdr-histogram-js' || module === 'pako' || module === 'base64-js') return 'HDR histograms (record, encode)';
  if (module.startsWith('mqbench')) return 'mqbench (pacer, publisher, recorder, coordinator)';
  if (module === 'node core') return 'other Node core (streams, net, timers)';
  return 'other (V8, native)';
}

/** One line, generated from the figures: where the busy time went, by category, and the hottest function. */
export function readingOf(summary) {
  const parts = summary.categories
    .filter((c) => c.selfPercent >= 5)
    .slice(0, 4)
    .map((c) => `${c.category} ${c.selfPercent.toFixed(0)}%`);
  const top = summary.functions[0];
  return `Busy time goes to ${parts.join(', ') || 'nothing above 5%'}; the hottest single function is \`${top?.fn ?? '?'}\` (${top?.module ?? '?'}, ${top ? top.selfPercent.toFixed(1) : '?'}% self).`;
}
