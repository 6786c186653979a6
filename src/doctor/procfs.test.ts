import { describe, expect, it } from 'vitest';
import { parseMemAvailable, parseOpenFiles, parsePortRange, parseSysctlNumber } from './procfs.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            1024                 20000                files
Max locked memory         8388608              8388608              bytes
`;

describe('procfs parsers', () => {
  it('reads soft and hard open-files limits', () => {
    expect(parseOpenFiles(LIMITS)).toEqual({ soft: 1024, hard: 20_000 });
    expect(parseOpenFiles('Max open files            unlimited            unlimited            files')).toEqual({ soft: Infinity, hard: Infinity });
    expect(parseOpenFiles('Max cpu time  unlimited unlimited seconds')).toBeNull();
  });

  it('reads the ephemeral port range', () => {
    expect(parsePortRange('32768\t60999\n')).toEqual({ low: 32768, high: 60999 });
    expect(parsePortRange('1024 65535')).toEqual({ low: 1024, high: 65535 });
    expect(parsePortRange('60999 32768')).toBeNull();
    expect(parsePortRange('')).toBeNull();
  });

  it('reads a number sysctl', () => {
    expect(parseSysctlNumber('4096\n')).toBe(4096);
    expect(parseSysctlNumber('x')).toBeNull();
  });

  it('reads MemAvailable in bytes', () => {
    expect(parseMemAvailable('MemTotal:       24683656 kB\nMemFree:  1 kB\nMemAvailable:   23521784 kB\n')).toBe(23_521_784 * 1024);
    expect(parseMemAvailable('MemTotal: 1 kB\n')).toBeNull();
  });
});
