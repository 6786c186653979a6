import { describe, expect, it } from 'vitest';
import { bytes, doctorExitCode, fail, formatCheck, formatSummary, ok, warn } from './check.js';
import { checkOpenFiles, checkPortRange } from './machine.js';

describe('doctor output', () => {
  it('prints "<status>  <what>: <finding>" with the status padded', () => {
    expect(formatCheck(ok('CPU', '8 cores'))).toBe('ok    CPU: 8 cores');
    expect(formatCheck(warn('retain', 'not delivered'))).toBe('WARN  retain: not delivered');
    expect(formatCheck(fail('broker reachable', 'ECONNREFUSED'))).toBe('FAIL  broker reachable: ECONNREFUSED');
  });

  it('puts each fix command and the note under the problem', () => {
    const text = formatCheck(warn('net.core.somaxconn', '128', ['sysctl -w net.core.somaxconn=4096'], 'restart the broker'));
    expect(text.split('\n')).toEqual(['WARN  net.core.somaxconn: 128', '      fix: sysctl -w net.core.somaxconn=4096', '      note: restart the broker']);
  });

  it('prints the exact fix commands for open files and ports', () => {
    const lines = [checkOpenFiles({ soft: 20_000, hard: 20_000 }, 50_000), checkPortRange({ low: 32768, high: 60999 }, 50_000)].map(formatCheck).join('\n');
    expect(lines).toMatch(/^FAIL {2}open files: /m);
    expect(lines).toMatch(/^ {6}fix: ulimit -n 50100$/m);
    expect(lines).toMatch(/^FAIL {2}ephemeral ports: /m);
    expect(lines).toMatch(/^ {6}fix: sysctl -w net\.ipv4\.ip_local_port_range="1024 65535"$/m);
  });

  it('leaves out empty fix lists', () => {
    expect(warn('x', 'y', [])).toEqual({ status: 'WARN', what: 'x', finding: 'y' });
  });

  it('sums up, and exits 1 only when a check failed', () => {
    const checks = [ok('a', '1'), warn('b', '2'), ok('c', '3')];
    expect(formatSummary(checks)).toBe('doctor: 2 ok, 1 WARN, 0 FAIL: a run can start; read the WARN lines');
    expect(doctorExitCode(checks)).toBe(0);
    expect(formatSummary([ok('a', '1')])).toBe('doctor: 1 ok, 0 WARN, 0 FAIL: ready');
    const failed = [...checks, fail('d', '4')];
    expect(formatSummary(failed)).toBe('doctor: 2 ok, 1 WARN, 1 FAIL: fix the FAIL lines before a run');
    expect(doctorExitCode(failed)).toBe(1);
  });

  it('formats sizes', () => {
    expect(bytes(15 * 1024)).toBe('15 KB');
    expect(bytes(832 * 1024 ** 2)).toBe('832 MB');
    expect(bytes(22.4 * 1024 ** 3)).toBe('22.4 GB');
  });
});
