/**
 * Machine checks of `mqbench doctor`: pure functions of the values read (procfs.ts) and the planned load,
 * so every threshold is table-tested. Each problem carries the command that fixes it.
 */
import { FD_HEADROOM, maxConnectionsFor } from '../host/fdlimit.js';
import { bytes, fail, num, ok, warn, type Check } from './check.js';
import type { MachineFacts, OpenFiles, PortRange } from './procfs.js';

export type DriverName = 'mqttjs' | 'lean';

export interface LoadPlan {
  /** Connections this process will open (all to one broker ip:port); undefined when not given. */
  connections?: number;
  driver: DriverName;
  /** The broker runs on this machine (loopback or a local address); undefined when no broker is known. */
  brokerLocal?: boolean;
}

/**
 * Memory one connection costs the generator, with headroom over the idle figures of BENCHMARKS.md (c): lean
 * 4.7-4.9 KB, mqtt.js 22.8 KB per idle connection at 19,900; a connection that publishes or receives holds more.
 */
export const PER_CONNECTION_BYTES: Readonly<Record<DriverName, number>> = { mqttjs: 28 * 1024, lean: 8 * 1024 };
/** The process itself and its worker threads before any connection. */
export const BASE_BYTES = 100 * 1024 ** 2;
/** The widest ephemeral range to suggest: 1024 and below are the privileged ports. */
const WIDE = { low: 1024, high: 65535 };

export function checkOpenFiles(of: OpenFiles | null, planned?: number): Check {
  const what = 'open files';
  if (!of) return warn(what, 'cannot read "Max open files" from /proc/self/limits (not Linux?): the connection limit is unknown');
  // Node raises the soft limit to the hard one at start-up: the hard limit is what an mqbench process gets.
  const perProcess = Math.max(0, maxConnectionsFor(of.hard));
  const limits = `soft ${num(of.soft)}, hard ${num(of.hard)}`;
  const cost = `~1 per connection + ${FD_HEADROOM} spare`;
  if (planned === undefined) return ok(what, `${limits}: one mqbench process can hold about ${num(perProcess)} connections (${cost})`);
  const need = planned + FD_HEADROOM;
  if (planned <= perProcess) return ok(what, `${limits}: room for ${num(planned)} planned connections (${num(need)} needed, ${cost})`);
  const processes = perProcess > 0 ? Math.ceil(planned / perProcess) : 2;
  return fail(
    what,
    `${num(planned)} planned connections need ~${num(need)} open files (${cost}), but the hard limit ${num(of.hard)} lets one process hold only ~${num(perProcess)}`,
    [`ulimit -n ${need}`],
    `above the hard limit this needs root (or "* - nofile ${need}" in /etc/security/limits.conf, then log in again); ` +
      `otherwise past ~${num(perProcess)} per process use several processes or machines: ` +
      `mqbench run <scenario> --segment i/${processes} --run-id <id> for i = 0..${processes - 1}, then mqbench merge`,
  );
}

/** Ports one source address can use towards one destination ip:port. */
export const portRangeSize = (r: PortRange): number => r.high - r.low + 1;

export function checkPortRange(r: PortRange | null, planned?: number): Check {
  const what = 'ephemeral ports';
  if (!r) return warn(what, 'cannot read /proc/sys/net/ipv4/ip_local_port_range: the connection limit per broker ip:port is unknown');
  const size = portRangeSize(r);
  const wide = { low: Math.min(r.low, WIDE.low), high: Math.max(r.high, WIDE.high) };
  const wideSize = portRangeSize(wide);
  const fix = wideSize > size ? [`sysctl -w net.ipv4.ip_local_port_range="${wide.low} ${wide.high}"`] : [];
  const range = `ip_local_port_range ${r.low}-${r.high}`;
  const per = `${num(size)} client sockets from one source address to one broker ip:port`;
  if (planned === undefined) return ok(what, `${range}: at most ${per}`);
  if (planned > size) {
    const note =
      planned > wideSize
        ? `even ${num(wideSize)} ports are not enough for ${num(planned)} connections to one broker ip:port: use more source addresses, more broker ports (listeners) or more generator machines (--segment i/N)`
        : 'each client socket to one broker ip:port takes its own local port; connects past the range fail with EADDRNOTAVAIL';
    return fail(what, `${range} allows ${per}; ${num(planned)} planned`, fix, note);
  }
  if (planned > 0.8 * size) {
    return warn(
      what,
      `${range} allows ${per}; ${num(planned)} planned leaves little room`,
      fix,
      'reconnects and the sockets of a previous run still in TIME_WAIT (60 s) hold ports too',
    );
  }
  return ok(what, `${range}: room for ${num(planned)} planned connections (at most ${per})`);
}

export function checkSomaxconn(value: number | null, brokerLocal?: boolean): Check {
  const what = 'net.core.somaxconn';
  if (value === null) return ok(what, 'cannot read /proc/sys/net/core/somaxconn (it only matters for a broker on this machine)');
  if (brokerLocal === false) return ok(what, `${num(value)} here; the listen backlog that matters is on the broker's machine (check it there)`);
  const about = `${num(value)}: caps the listen backlog of a broker on this machine (connects beyond it during a burst are dropped and retried)`;
  if (brokerLocal && value < 1024) {
    return warn(what, about, ['sysctl -w net.core.somaxconn=4096'], 'the broker must also ask for a large backlog; restart it after the change');
  }
  return ok(what, brokerLocal ? about : `${about}; informational`);
}

/** What the generator needs for `connections` with `driver`: the per-connection estimate plus the process. */
export function memoryEstimate(connections: number, driver: DriverName): number {
  return BASE_BYTES + connections * PER_CONNECTION_BYTES[driver];
}

export function checkMemory(available: number | null, planned: number | undefined, driver: DriverName): Check {
  const what = 'memory';
  const per = `~${bytes(PER_CONNECTION_BYTES[driver])} per connection (${driver} driver) + ~${bytes(BASE_BYTES)} for the process`;
  if (available === null) return warn(what, `cannot read MemAvailable from /proc/meminfo; estimate: ${per}`);
  const avail = `MemAvailable ${bytes(available)}`;
  if (planned === undefined) {
    const room = Math.max(0, Math.floor((available - BASE_BYTES) / PER_CONNECTION_BYTES[driver]));
    return ok(what, `${avail}: room for about ${num(room)} connections at ${per}`);
  }
  const need = memoryEstimate(planned, driver);
  const finding = `${num(planned)} connections × ${per} ≈ ${bytes(need)}; ${avail}`;
  const lean = driver === 'mqttjs' ? ['mqbench run <scenario> --driver lean'] : [];
  const split = 'or split the load over machines (--segment i/N)';
  if (need > available)
    return fail(what, finding, lean, `${lean.length ? `the lean driver needs ~${bytes(PER_CONNECTION_BYTES.lean)} per connection; ` : ''}${split}`);
  if (need > available / 2) return warn(what, `${finding}: over half, little left for a broker or the OS on this machine`, lean, split);
  return ok(what, finding);
}

export function checkCpus(cpus: number, brokerLocal?: boolean): Check {
  const what = 'CPU';
  const cores = `${cpus} core${cpus === 1 ? '' : 's'}`;
  if (cpus <= 2) {
    const who = brokerLocal === false ? "the generator's worker threads share them" : 'a broker on this machine and the generator share them';
    return warn(
      what,
      `${cores}: ${who}; the generator may become the limit (results then say "saturated")`,
      [],
      'run the broker and the generator on separate machines, or use a machine with more cores',
    );
  }
  return ok(what, `${cores}: ${cpus - 1} worker threads by default`);
}

/** Every machine check, in the order printed. */
export function machineChecks(facts: MachineFacts, plan: LoadPlan): Check[] {
  return [
    checkOpenFiles(facts.openFiles, plan.connections),
    checkPortRange(facts.portRange, plan.connections),
    checkSomaxconn(facts.somaxconn, plan.brokerLocal),
    checkMemory(facts.memAvailableBytes, plan.connections, plan.driver),
    checkCpus(facts.cpus, plan.brokerLocal),
  ];
}
