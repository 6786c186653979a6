/**
 * How far this machine's system clock is from its time reference, where the machine says so: chrony
 * (`chronyc tracking`) or systemd-timesyncd (`timedatectl timesync-status`). Used to state how far
 * end-to-end latency between machines can be trusted. Never fails: an unreadable source is a reason.
 */
import { execFile } from 'node:child_process';

export interface ClockOffsetEstimate {
  /** Local clock minus reference time, ms (positive: this clock is ahead). */
  offsetMs: number;
  /** The source's bound on its own error (chrony: root dispersion + root delay / 2), ms; null if not given. */
  maxErrorMs: number | null;
  source: 'chronyc tracking' | 'timedatectl timesync-status';
}

export type ClockOffsetReading = { estimate: ClockOffsetEstimate; reason?: undefined } | { estimate: null; reason: string };

const seconds = (text: string, label: string): number | null => {
  const m = new RegExp(`^${label}\\s*:\\s*([0-9.]+) seconds`, 'm').exec(text);
  return m ? Number(m[1]) : null;
};

/** Parses `chronyc tracking` ("System time : 0.000012 seconds fast of NTP time"). */
export function parseChronyTracking(text: string): ClockOffsetEstimate | null {
  const m = /^System time\s*:\s*([0-9.]+) seconds (fast|slow) of NTP time/m.exec(text);
  if (!m) return null;
  const sign = m[2] === 'fast' ? 1 : -1;
  const dispersion = seconds(text, 'Root dispersion');
  const delay = seconds(text, 'Root delay');
  const maxError = dispersion !== null && delay !== null ? (dispersion + delay / 2) * 1000 : null;
  return { offsetMs: sign * Number(m[1]) * 1000, maxErrorMs: maxError, source: 'chronyc tracking' };
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000 };

function durationMs(text: string): number | null {
  const m = /^([+-]?[0-9.]+)\s*(ns|us|µs|ms|s)\b/.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]] : null;
}

/**
 * Parses `timedatectl timesync-status` ("Offset: -1.234ms", "Root distance: 12.3ms"). timesyncd's offset
 * is the reference minus the local clock, so the local offset is its negation.
 */
export function parseTimesyncStatus(text: string): ClockOffsetEstimate | null {
  const off = /^\s*Offset:\s*(.+)$/m.exec(text);
  const offsetMs = off ? durationMs(off[1]) : null;
  if (offsetMs === null) return null;
  const dist = /^\s*Root distance:\s*(.+)$/m.exec(text);
  const maxError = dist ? durationMs(dist[1]) : null;
  return { offsetMs: -offsetMs || 0, maxErrorMs: maxError, source: 'timedatectl timesync-status' };
}

function run(cmd: string, args: string[]): Promise<{ out: string; error?: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 2000, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        resolve({ out: stdout ?? '', error: code === 'ENOENT' ? 'not installed' : (stderr || err.message).trim().split('\n')[0] });
      } else resolve({ out: stdout });
    });
  });
}

/** Reads the offset from chrony, then timesyncd; otherwise says why there is none. */
export async function readClockOffset(): Promise<ClockOffsetReading> {
  const chrony = await run('chronyc', ['tracking']);
  const c = parseChronyTracking(chrony.out);
  if (c) return { estimate: c };
  const timesync = await run('timedatectl', ['timesync-status']);
  const t = parseTimesyncStatus(timesync.out);
  if (t) return { estimate: t };
  const why = (name: string, r: { error?: string }) => `${name}: ${r.error ?? 'no offset in its output'}`;
  return { estimate: null, reason: `clock offset not readable (${why('chronyc', chrony)}; ${why('timedatectl', timesync)})` };
}
