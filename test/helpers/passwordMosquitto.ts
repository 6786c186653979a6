import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { MosquittoHandle } from './mosquitto.js';
import { useMosquitto } from './useMosquitto.js';

/**
 * One mosquitto for the enclosing `describe` that admits only `users` (name, password), from a password file
 * in a temporary folder (`dir`, removed after the tests; a test may write its own files there).
 */
export function usePasswordMosquitto(users: [string, string][], prefix: string): { mosq: MosquittoHandle; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const pw = join(dir, 'passwd');
  users.forEach(([user, password], k) => execFileSync('mosquitto_passwd', [...(k === 0 ? ['-c'] : []), '-b', pw, user, password]));
  chmodSync(dir, 0o755);
  chmodSync(pw, 0o644);
  const mosq = useMosquitto(['allow_anonymous false', `password_file ${pw}`]);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return { mosq, dir };
}
