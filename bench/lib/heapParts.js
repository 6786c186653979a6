// Attributes a V8 heap snapshot's bytes to the parts of an idle connection: every object goes to the
// part of the nearest object up its chain of first retainers (at most MAX_HOPS up) whose class is
// listed in PARTS (a Device's arrays are the device's, a Socket's states the socket's), or that was
// reached through a property named in EDGE_PARTS (a connection's events object and its closures: the
// device's). What no listed class owns is "other". Self sizes as V8 reports them (for a socket's native
// handle, V8's estimate of its C++ object). Attribution by first retainer is approximate: an object held
// by two owners counts once, for whichever the snapshot lists first.

/** Class (constructor) name → part. */
export const PARTS = {
  socket: ['Socket', 'TCP', 'Node / TCPSocketWrap', 'WritableState', 'ReadableState', 'TCPConnectWrap', 'WebSocket', 'TLSSocket'],
  parser: ['Parser', 'BufferList', 'BufferListStream'],
  connection: ['LeanConnection', 'LeanOutput', 'MqttjsConnection', 'MqttClient'],
  ledger: ['WriteLedger', 'LeanSession', 'Held', 'DeviceArrivals', 'SeqBitmap', 'ShareLedger'],
  timers: ['Timeout', 'TimersList', 'KeepaliveWheel', 'Immediate'],
  device: ['Device', 'Backlog'],
};
/** Objects reached through a property of this name belong to this part (a connection's events: the device's closures). */
const EDGE_PARTS = { events: 'device' };
export const PART_NAMES = [...Object.keys(PARTS), 'other'];
const MAX_HOPS = 6;

const partOf = new Map(Object.entries(PARTS).flatMap(([part, names]) => names.map((n) => [n, part])));

/** Bytes per part in one snapshot (the parsed JSON); with `top`, also the largest classes of part `debugPart` (debugging). */
export function heapParts(snap, top = 0, debugPart = 'other') {
  const meta = snap.snapshot.meta;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const [ti, ni, eci, si] = ['type', 'name', 'edge_count', 'self_size'].map((k) => meta.node_fields.indexOf(k));
  const [eti, eni, eto] = ['type', 'name_or_index', 'to_node'].map((k) => meta.edge_fields.indexOf(k));
  const weak = meta.edge_types[0].indexOf('weak');
  const property = meta.edge_types[0].indexOf('property');
  const edgePart = new Map(Object.entries(EDGE_PARTS).map(([name, part]) => [snap.strings.indexOf(name), part]));
  const objectType = meta.node_types[0].indexOf('object');
  const syntheticType = meta.node_types[0].indexOf('synthetic');
  const nodes = snap.nodes;
  const edges = snap.edges;
  const count = nodes.length / nf;
  // The first retainer of every node (-1: none), and each node's own part when its class is listed.
  const parent = new Int32Array(count).fill(-1);
  const own = new Int8Array(count).fill(-1);
  const via = new Int8Array(count).fill(-1);
  const partIndex = new Map(PART_NAMES.map((p, k) => [p, k]));
  let e = 0;
  for (let n = 0; n < count; n++) {
    const k = n * nf;
    const t = nodes[k + ti];
    if (t === objectType || t === syntheticType) {
      const p = partOf.get(snap.strings[nodes[k + ni]]);
      if (p !== undefined) own[n] = partIndex.get(p);
    }
    const end = e + nodes[k + eci] * ef;
    for (; e < end; e += ef) {
      if (edges[e + eti] === weak) continue;
      const to = edges[e + eto] / nf;
      if (parent[to] !== -1 || to === n) continue;
      parent[to] = n;
      if (edges[e + eti] === property && edgePart.has(edges[e + eni])) via[to] = partIndex.get(edgePart.get(edges[e + eni]));
    }
  }
  const other = PART_NAMES.length - 1;
  const bytes = new Float64Array(PART_NAMES.length);
  const others = new Map();
  for (let n = 0; n < count; n++) {
    let m = n;
    let part = other;
    for (let hop = 0; hop <= MAX_HOPS && m !== -1; hop++, m = parent[m]) {
      if (own[m] !== -1 || via[m] !== -1) {
        part = own[m] !== -1 ? own[m] : via[m];
        break;
      }
    }
    bytes[part] += nodes[n * nf + si];
    if (top > 0 && part === partIndex.get(debugPart)) {
      const key = `${meta.node_types[0][nodes[n * nf + ti]]}:${snap.strings[nodes[n * nf + ni]].slice(0, 40)}`;
      others.set(key, (others.get(key) ?? 0) + nodes[n * nf + si]);
    }
  }
  /** @type {Record<string, any>} */
  const out = Object.fromEntries(PART_NAMES.map((p, k) => [p, bytes[k]]));
  if (top > 0) out.top = [...others].sort((a, b) => b[1] - a[1]).slice(0, top);
  return out;
}

/**
 * Bytes per connection per part: the listed parts as held (÷ connections: a device's state exists before it
 * connects, so a difference would miss it), "other" as its growth from `before` to `after` (÷ connections).
 */
export function perConnection(before, after, connections) {
  const n = Math.max(1, connections);
  return Object.fromEntries(PART_NAMES.map((p) => [p, (p === 'other' ? after[p] - before[p] : after[p]) / n]));
}
