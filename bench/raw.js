// The RAW BASELINE contender: plain `net` sockets and pre-encoded MQTT 3.1.1 frames, no MQTT library on the
// hot path. Runs in its own process (forked by bench/run.js) so its CPU time and RSS are its own. It gets
// one JSON argument ({ mode, port, ... }) and sends back one result message.
//   qos0     N clients write pre-built 64-byte-payload PUBLISH frames as fast as the sockets take them; then,
//            with `fixedRate`, again paced at that total rate (fresh sockets), for the CPU at a fixed load
//   qos1     N clients keep `window` QoS 1 publishes in flight each, sending the next on each PUBACK
//   idle     N clients CONNECT (keepalive 60 s), wait for CONNACK, and stay connected
//   latency  1 publisher at a fixed rate (QoS 1) → M subscribers round-robin; receive − send from the payload
import { readFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { DISCONNECT, TYPE, connectFrame, packetSplitter, pubackFrame, publishFrame, subscribeFrame } from './lib/frames.js';
import { coresBetween, cpuSeconds, now, startSampler } from './lib/sampler.js';
import { cpuSecondsOf } from './lib/procfs.js';
import { contender } from './lib/child.js';

const cfg = JSON.parse(process.argv[2]);
const tag = Math.random().toString(16).slice(2, 8);

/**
 * One raw MQTT connection: resolves after CONNACK; `onPacket` gets every later packet.
 * @param {(type: number, flags: number, buf: Buffer, start: number, end: number) => void} [onPacket]
 */
function openClient(port, clientId, keepaliveSec, onPacket = () => {}, localPort = undefined) {
  return new Promise((resolve, reject) => {
    const sock = tcpConnect({ host: '127.0.0.1', port, noDelay: true, ...(localPort === undefined ? {} : { localPort }) });
    const client = { sock, onPacket };
    let connected = false;
    sock.on(
      'data',
      packetSplitter((type, flags, buf, start, end) => {
        if (!connected) {
          if (type === TYPE.CONNACK && buf[start + 1] === 0) {
            connected = true;
            resolve(client);
          } else {
            reject(new Error(`CONNACK refused (type ${type}, code ${buf[start + 1]})`));
            sock.destroy();
          }
          return;
        }
        client.onPacket(type, flags, buf, start, end);
      }),
    );
    sock.once('error', (err) => (connected ? undefined : reject(err)));
    sock.on('error', () => {});
    sock.write(connectFrame(clientId, keepaliveSec));
  });
}

/**
 * Source ports as mqbench's lean driver picks them (src/driver/sourcePorts.ts, tcpConnect.ts): a walk over the
 * kernel's ephemeral range from a random start, a taken port skipped (16 tries, then the kernel's choice), so
 * the floor of the connect figures uses the same technique and not the kernel's port search per connect().
 */
const PORT_RANGE = (() => {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low >= 1024 && high <= 65535 && low < high) return { low, high };
  } catch {
    // the kernel's default range
  }
  return { low: 32768, high: 60999 };
})();
let nextPort = PORT_RANGE.low + Math.floor(Math.random() * (PORT_RANGE.high - PORT_RANGE.low + 1));
const takePort = () => {
  const p = nextPort;
  nextPort = p >= PORT_RANGE.high ? PORT_RANGE.low : p + 1;
  return p;
};
async function openFromOwnPort(port, clientId, keepaliveSec) {
  for (let tries = 0; tries < 16; tries++) {
    try {
      return await openClient(port, clientId, keepaliveSec, undefined, takePort());
    } catch (err) {
      if (err.code !== 'EADDRINUSE' && err.code !== 'EADDRNOTAVAIL') throw err;
    }
  }
  return openClient(port, clientId, keepaliveSec);
}

function closeAll(clients) {
  return Promise.all(
    clients.map(
      (c) =>
        new Promise((resolve) => {
          if (c.sock.destroyed) return resolve();
          const t = setTimeout(() => (c.sock.destroy(), resolve()), 2000);
          c.sock.once('close', () => (clearTimeout(t), resolve()));
          c.sock.end(DISCONNECT);
        }),
    ),
  );
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A payload of `size` bytes shaped like mqbench's header (magic, ids, two timestamps), zero-filled. */
function payloadOf(size, publisher, seq, intended, sent) {
  const p = Buffer.alloc(size);
  p.writeUInt16LE(0x4d51, 0);
  p.writeUInt32LE(publisher, 8);
  p.writeUInt32LE(seq >>> 0, 12);
  p.writeDoubleLE(intended, 16);
  p.writeDoubleLE(sent, 24);
  return p;
}

/** The broker's CPU seconds so far (its pid from bench/run.js), or null. */
const brokerCpu = () => ({ t: now(), cpu: cfg.brokerPid ? cpuSecondsOf(cfg.brokerPid) : null });

/**
 * Counts messages over [start + warmup, start + warmup + duration), the CPU used in that window, and the
 * broker's CPU (cores) over it.
 */
async function measureWindow(cfg, counters, stop) {
  await sleep(cfg.warmupMs);
  const brokerA = brokerCpu();
  const a = { t: now(), cpu: cpuSeconds(), ...counters() };
  await sleep(cfg.durationMs);
  const b = { t: now(), cpu: cpuSeconds(), ...counters() };
  const brokerB = brokerCpu();
  stop();
  const sec = (b.t - a.t) / 1000;
  const sent = b.sent - a.sent;
  return {
    windowSec: sec,
    sent,
    sentPerSec: sent / sec,
    acked: b.acked - a.acked,
    ackedPerSec: (b.acked - a.acked) / sec,
    cpuSec: b.cpu - a.cpu,
    cpuPer100k: ((b.cpu - a.cpu) * 100_000) / Math.max(1, sent),
    brokerCores: coresBetween(brokerA, brokerB),
  };
}

/**
 * QoS 0 from `cfg.clients` sockets: as fast as the sockets take frames (`rate` null), or paced at `rate` msg/s
 * in total, each client sending what its share of the elapsed time allows (one corked write per turn) and
 * sleeping a timer tick when it is caught up, so pacing costs no spinning.
 */
async function qos0(rate = null) {
  const clients = await Promise.all(Array.from({ length: cfg.clients }, (_, i) => openClient(cfg.port, `raw-${tag}-${i}`, 60)));
  const frames = clients.map((_, i) => publishFrame(`bench/${tag}/${i}`, payloadOf(cfg.payloadSize, i, 0, 0, 0), 0));
  let sent = 0;
  let running = true;
  const cpu0 = cpuSeconds();
  const t0 = now();
  const perClientPerMs = rate === null ? null : rate / cfg.clients / 1000;
  const sentBy = clients.map(() => 0);
  const pump = (c, i) => {
    if (!running || c.sock.destroyed) return;
    // Up to BATCH frames per turn (paced: what is due, at most BATCH), corked into one writev (as
    // mqtt-packet corks until the next tick); stop early when the socket's buffer is full and continue on 'drain'.
    const due = perClientPerMs === null ? cfg.batch : Math.min(cfg.batch, Math.floor((now() - t0) * perClientPerMs) - sentBy[i]);
    if (due <= 0) return void setTimeout(pump, 1, c, i);
    c.sock.cork();
    let ok = true;
    for (let k = 0; k < due && ok; k++) {
      ok = c.sock.write(frames[i]);
      sent++;
      sentBy[i]++;
    }
    c.sock.uncork();
    if (!ok) c.sock.once('drain', () => pump(c, i));
    else if (perClientPerMs === null || due === cfg.batch) setImmediate(pump, c, i);
    else setTimeout(pump, 1, c, i);
  };
  clients.forEach((c, i) => pump(c, i));
  const r = await measureWindow(
    cfg,
    () => ({ sent, acked: 0 }),
    () => (running = false),
  );
  r.cpuTotalSec = cpuSeconds() - cpu0;
  await closeAll(clients);
  return r;
}

/** (a): the rate the sockets take, then (with `cfg.fixedRate`) the CPU at a fixed offered rate, fresh sockets. */
async function qos0Figure() {
  const r = await qos0();
  if (cfg.fixedRate) r.fixed = { rate: cfg.fixedRate, ...(await qos0(cfg.fixedRate)) };
  return r;
}

async function qos1() {
  const ids = 1000; // packet ids cycled per client; at most `window` of them are ever in flight
  let sent = 0;
  let acked = 0;
  let running = true;
  const clients = await Promise.all(Array.from({ length: cfg.clients }, (_, i) => openClient(cfg.port, `raw-${tag}-${i}`, 60)));
  const states = clients.map((c, i) => {
    const payload = payloadOf(cfg.payloadSize, i, 0, 0, 0);
    const frames = Array.from({ length: ids }, (_, k) => publishFrame(`bench/${tag}/${i}`, payload, 1, k + 1));
    const st = { c, frames, next: 0, inflight: 0 };
    c.onPacket = (type) => {
      if (type !== TYPE.PUBACK) return;
      st.inflight--;
      acked++;
      fill(st);
    };
    return st;
  });
  // Several PUBACKs usually arrive in one read: their replacements leave in one corked write.
  const fill = (st) => {
    if (!running) return;
    const n = cfg.window - st.inflight;
    if (n <= 0) return;
    st.c.sock.cork();
    for (let k = 0; k < n; k++) {
      st.c.sock.write(st.frames[st.next]);
      st.next = (st.next + 1) % ids;
      st.inflight++;
      sent++;
    }
    process.nextTick(() => st.c.sock.uncork());
  };
  const cpu0 = cpuSeconds();
  states.forEach(fill);
  const r = await measureWindow(
    cfg,
    () => ({ sent, acked }),
    () => (running = false),
  );
  r.cpuTotalSec = cpuSeconds() - cpu0;
  await sleep(200);
  await closeAll(clients);
  return r;
}

async function idle() {
  const sampler = startSampler(100);
  await sleep(200);
  const rssBefore = process.memoryUsage.rss();
  const cpu0 = cpuSeconds();
  const t0 = now();
  const clients = [];
  const errors = {};
  let failed = 0;
  let i = 0;
  const half = Math.ceil(cfg.connections / 2);
  /** @type {number | null} */
  let tHalf = null;
  // At most `concurrency` handshakes at a time (0 = all at once).
  const limit = cfg.concurrency > 0 ? cfg.concurrency : cfg.connections;
  await new Promise((resolve) => {
    let pending = 0;
    let done = 0;
    const launch = () => {
      while (pending < limit && i < cfg.connections) {
        pending++;
        openFromOwnPort(cfg.port, `raw-${tag}-${i++}`, 60)
          .then(
            (c) => {
              if (clients.push(c) === half) tHalf = now();
            },
            (err) => {
              failed++;
              errors[err.code ?? err.message] = (errors[err.code ?? err.message] ?? 0) + 1;
            },
          )
          .finally(() => {
            pending--;
            if (++done === cfg.connections) resolve();
            else launch();
          });
      }
    };
    launch();
  });
  const t1 = now();
  const cpuConnect = cpuSeconds() - cpu0;
  await sleep(cfg.holdMs);
  const rssAfter = process.memoryUsage.rss();
  sampler.stop();
  const open = clients.filter((c) => !c.sock.destroyed).length;
  await closeAll(clients);
  const sec = (t1 - t0) / 1000;
  return {
    connections: cfg.connections,
    succeeded: clients.length,
    failed,
    errors,
    openAfterHold: open,
    connectPhaseSec: sec,
    connectsPerSec: clients.length / sec,
    cpuConnectSec: cpuConnect,
    firstHalfSec: tHalf === null ? null : (tHalf - t0) / 1000,
    firstHalfPerSec: tHalf === null ? null : half / ((tHalf - t0) / 1000),
    rssBefore,
    rssAfter,
    rssPerConnBytes: (rssAfter - rssBefore) / Math.max(1, clients.length),
    rssPeak: Math.max(...sampler.samples.map((s) => s.rss)),
  };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function latencySummary(values) {
  const s = Float64Array.from(values).sort();
  return { count: s.length, p50: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99), max: s.length ? s[s.length - 1] : null };
}

async function latency() {
  const corrected = [];
  const uncorrected = [];
  let received = 0;
  let measureFrom = Infinity;
  let measureEnd = Infinity;
  const subs = await Promise.all(Array.from({ length: cfg.subscribers }, (_, i) => openClient(cfg.port, `raw-${tag}-sub-${i}`, 60)));
  await Promise.all(
    subs.map(
      (c, i) =>
        new Promise((resolve, reject) => {
          c.onPacket = (type, flags, buf, start) => {
            if (type === TYPE.SUBACK) return buf[start + 2] === 1 ? resolve() : reject(new Error(`SUBACK ${buf[start + 2]}`));
          };
          c.sock.write(subscribeFrame(1, `bench/${tag}/lat/${i}`, 1));
        }),
    ),
  );
  for (const c of subs) {
    c.onPacket = (type, flags, buf, start, end) => {
      if (type !== TYPE.PUBLISH) return;
      const at = now();
      const topicLen = buf.readUInt16BE(start);
      let p = start + 2 + topicLen;
      const qos = (flags >> 1) & 3;
      if (qos > 0) {
        c.sock.write(pubackFrame(buf.readUInt16BE(p)));
        p += 2;
      }
      if (end - p < 32) return;
      const intended = buf.readDoubleLE(p + 16);
      const sent = buf.readDoubleLE(p + 24);
      received++;
      if (intended >= measureFrom && intended < measureEnd) {
        corrected.push(at - intended);
        uncorrected.push(at - sent);
      }
    };
  }
  const pub = await openClient(cfg.port, `raw-${tag}-pub`, 60);
  let inflight = 0;
  let sent = 0;
  let acked = 0;
  let nextId = 1;
  const backlog = [];
  const send = (k, due) => {
    const at = now();
    const target = k % cfg.subscribers;
    const frame = publishFrame(`bench/${tag}/lat/${target}`, payloadOf(cfg.payloadSize, 0, k, due, at), 1, nextId);
    nextId = (nextId % 65535) + 1;
    inflight++;
    sent++;
    pub.sock.write(frame);
  };
  pub.onPacket = (type) => {
    if (type !== TYPE.PUBACK) return;
    inflight--;
    acked++;
    while (backlog.length > 0 && inflight < cfg.window) {
      const [k, due] = backlog.shift();
      send(k, due);
    }
  };
  // Open model: message k is due at t0 + k / rate, whatever happened before.
  const t0 = now() + 20;
  measureFrom = t0 + cfg.warmupMs;
  measureEnd = measureFrom + cfg.durationMs;
  const total = Math.floor(((cfg.warmupMs + cfg.durationMs) * cfg.rate) / 1000);
  let k = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const t = now();
      while (k < total && t0 + (k * 1000) / cfg.rate <= t) {
        const due = t0 + (k * 1000) / cfg.rate;
        if (inflight < cfg.window && backlog.length === 0) send(k, due);
        else backlog.push([k, due]);
        k++;
      }
      if (k >= total) return resolve();
      setTimeout(tick, Math.max(0, Math.ceil(t0 + (k * 1000) / cfg.rate - now())));
    };
    setTimeout(tick, Math.max(0, t0 - now()));
  });
  const drainUntil = now() + 3000;
  while ((inflight > 0 || received < sent) && now() < drainUntil) await sleep(20);
  await closeAll([pub, ...subs]);
  return {
    sent,
    acked,
    received,
    measured: corrected.length,
    endToEnd: latencySummary(corrected),
    endToEndUncorrected: latencySummary(uncorrected),
  };
}

const modes = { qos0: qos0Figure, qos1, idle, latency };
await contender(() => modes[cfg.mode](), { name: 'raw contender', timeoutMs: cfg.timeoutMs ?? 120_000 });
