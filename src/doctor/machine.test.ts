import { describe, expect, it } from 'vitest';
import {
  BASE_BYTES,
  checkCpus,
  checkMemory,
  checkOpenFiles,
  checkPortRange,
  checkSomaxconn,
  machineChecks,
  memoryEstimate,
  PER_CONNECTION_BYTES,
  portRangeSize,
} from './machine.js';

describe('checkOpenFiles (limits vs planned connections, ~1 fd each + 100 spare)', () => {
  const lim = { soft: 20_000, hard: 20_000 };

  it.each([
    [undefined, 'ok', /one mqbench process can hold about 19,900 connections/],
    [1_000, 'ok', /room for 1,000 planned connections \(1,100 needed/],
    [19_900, 'ok', /room for 19,900/],
    [19_901, 'FAIL', /19,901 planned connections need ~20,001 open files/],
    [50_000, 'FAIL', /hard limit 20,000 lets one process hold only ~19,900/],
  ] as const)('%s planned → %s', (planned, status, finding) => {
    const c = checkOpenFiles(lim, planned);
    expect(c.status).toBe(status);
    expect(c.finding).toMatch(finding);
  });

  it('a FAIL gives the ulimit command and the way out past one process (segments)', () => {
    const c = checkOpenFiles(lim, 50_000);
    expect(c.fix).toEqual(['ulimit -n 50100']);
    expect(c.note).toMatch(/past ~19,900 per process/);
    expect(c.note).toMatch(/--segment i\/3/);
    expect(c.note).toMatch(/limits\.conf/);
  });

  it('judges the hard limit (Node raises the soft one to it at start-up)', () => {
    expect(checkOpenFiles({ soft: 1024, hard: 65_536 }, 30_000).status).toBe('ok');
    expect(checkOpenFiles({ soft: 1024, hard: 1024 }, 2_000).status).toBe('FAIL');
  });

  it('unlimited and unreadable limits', () => {
    expect(checkOpenFiles({ soft: Infinity, hard: Infinity }, 1e6).status).toBe('ok');
    const c = checkOpenFiles(null, 10);
    expect(c.status).toBe('WARN');
    expect(c.finding).toMatch(/cannot read/);
  });
});

describe('checkPortRange (one ephemeral port per socket to one broker ip:port)', () => {
  const range = { low: 32768, high: 60999 };

  it('counts the range inclusively', () => {
    expect(portRangeSize(range)).toBe(28_232);
    expect(portRangeSize({ low: 1024, high: 65535 })).toBe(64_512);
  });

  it.each([
    [undefined, 'ok'],
    [10_000, 'ok'],
    [22_585, 'ok'],
    [22_586, 'WARN'], // more than 80% of 28,232
    [28_232, 'WARN'],
    [28_233, 'FAIL'],
    [50_000, 'FAIL'],
  ] as const)('%s planned → %s', (planned, status) => {
    expect(checkPortRange(range, planned).status).toBe(status);
  });

  it('a problem carries the sysctl that widens the range', () => {
    const c = checkPortRange(range, 50_000);
    expect(c.finding).toMatch(/32768-60999 allows 28,232 client sockets .* 50,000 planned/);
    expect(c.fix).toEqual(['sysctl -w net.ipv4.ip_local_port_range="1024 65535"']);
    expect(c.note).toMatch(/EADDRNOTAVAIL/);
  });

  it('past the widest range: no sysctl helps, more addresses or machines do', () => {
    const c = checkPortRange({ low: 1024, high: 65535 }, 100_000);
    expect(c.status).toBe('FAIL');
    expect(c.fix).toBeUndefined();
    expect(c.note).toMatch(/even 64,512 ports are not enough/);
  });

  it('never suggests narrowing a range that is already wider at the bottom', () => {
    expect(checkPortRange({ low: 500, high: 60999 }, 70_000).fix).toEqual(['sysctl -w net.ipv4.ip_local_port_range="500 65535"']);
  });
});

describe('checkSomaxconn (informational, for a local broker)', () => {
  it('warns with the sysctl only for a small backlog and a broker on this machine', () => {
    const c = checkSomaxconn(128, true);
    expect(c.status).toBe('WARN');
    expect(c.fix).toEqual(['sysctl -w net.core.somaxconn=4096']);
    expect(checkSomaxconn(128, false).status).toBe('ok');
    expect(checkSomaxconn(128, false).finding).toMatch(/broker's machine/);
    expect(checkSomaxconn(4096, true).status).toBe('ok');
    expect(checkSomaxconn(null).status).toBe('ok');
  });
});

describe('memory estimate', () => {
  it('states ~28 KB per connection for mqttjs and ~8 KB for lean, plus the process', () => {
    expect(PER_CONNECTION_BYTES).toEqual({ mqttjs: 28_672, lean: 8_192 });
    expect(memoryEstimate(10_000, 'mqttjs')).toBe(BASE_BYTES + 286_720_000);
    expect(memoryEstimate(0, 'lean')).toBe(BASE_BYTES);
  });

  const GB = 1024 ** 3;
  it.each([
    [8 * GB, 10_000, 'mqttjs', 'ok'],
    [2 * GB, 50_000, 'mqttjs', 'WARN'], // ~1.4 GB of 2 GB
    [1 * GB, 50_000, 'mqttjs', 'FAIL'],
    [0.5 * GB, 50_000, 'lean', 'WARN'], // ~491 MB
  ] as const)('%d bytes available, %d connections, %s → %s', (avail, planned, driver, status) => {
    expect(checkMemory(avail, planned, driver).status).toBe(status);
  });

  it('says the estimate it used and suggests the lean driver', () => {
    const c = checkMemory(0.5 * GB, 50_000, 'mqttjs');
    expect(c.finding).toBe('50,000 connections × ~28 KB per connection (mqttjs driver) + ~100 MB for the process ≈ 1.4 GB; MemAvailable 512 MB');
    expect(c.fix).toEqual(['mqbench run <scenario> --driver lean']);
    expect(checkMemory(8 * GB, undefined, 'lean').finding).toMatch(/room for about [\d,]+ connections at ~8 KB per connection \(lean driver\)/);
    expect(checkMemory(null, 10, 'lean').status).toBe('WARN');
  });
});

describe('checkCpus', () => {
  it('warns on 1-2 cores (broker and generator share them)', () => {
    expect(checkCpus(1).status).toBe('WARN');
    expect(checkCpus(2, true).finding).toMatch(/a broker on this machine and the generator share them/);
    expect(checkCpus(4).status).toBe('ok');
    expect(checkCpus(4).finding).toBe('4 cores: 3 worker threads by default');
  });
});

it('machineChecks runs every check in order', () => {
  const facts = {
    openFiles: { soft: 20_000, hard: 20_000 },
    portRange: { low: 32768, high: 60999 },
    somaxconn: 4096,
    memAvailableBytes: 8 * 1024 ** 3,
    cpus: 8,
  };
  const checks = machineChecks(facts, { connections: 50_000, driver: 'mqttjs', brokerLocal: true });
  expect(checks.map((c) => `${c.status} ${c.what}`)).toEqual(['FAIL open files', 'FAIL ephemeral ports', 'ok net.core.somaxconn', 'ok memory', 'ok CPU']);
});
