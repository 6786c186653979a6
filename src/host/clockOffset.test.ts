import { describe, expect, it } from 'vitest';
import { parseChronyTracking, parseTimesyncStatus } from './clockOffset.js';

const CHRONY = `Reference ID    : C0A80001 (192.168.0.1)
Stratum         : 3
Ref time (UTC)  : Thu Jan 02 03:04:05 2030
System time     : 0.000123456 seconds slow of NTP time
Last offset     : -0.000012345 seconds
RMS offset      : 0.000045678 seconds
Frequency       : 12.345 ppm fast
Root delay      : 0.002000000 seconds
Root dispersion : 0.000500000 seconds
Update interval : 64.2 seconds
Leap status     : Normal
`;

const TIMESYNC = `       Server: 192.168.0.1 (ntp.example)
Poll interval: 34min 8s (min: 32s; max 34min 8s)
         Leap: normal
      Version: 4
      Stratum: 2
    Reference: C0A80001
    Precision: 1us (-24)
Root distance: 1.234ms (max: 5s)
       Offset: -250us
        Delay: 1.1ms
       Jitter: 300us
`;

describe('clock offset parsers', () => {
  it('reads chronyc tracking: slow is a negative offset; bound = dispersion + delay / 2', () => {
    const e = parseChronyTracking(CHRONY)!;
    expect(e.offsetMs).toBeCloseTo(-0.123456, 9);
    expect(e.maxErrorMs).toBeCloseTo(1.5, 9);
    expect(e.source).toBe('chronyc tracking');
    expect(parseChronyTracking(CHRONY.replace('slow', 'fast'))!.offsetMs).toBeCloseTo(0.123456, 9);
  });

  it('reads timedatectl timesync-status (its offset is the reference minus this clock)', () => {
    const e = parseTimesyncStatus(TIMESYNC)!;
    expect(e.offsetMs).toBeCloseTo(0.25, 9);
    expect(e.maxErrorMs).toBeCloseTo(1.234, 9);
  });

  it('returns null for output without an offset', () => {
    expect(parseChronyTracking('506 Cannot talk to daemon')).toBeNull();
    expect(parseTimesyncStatus('System has not been booted with systemd as init system (PID 1).')).toBeNull();
  });
});
