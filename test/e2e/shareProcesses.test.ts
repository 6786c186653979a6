/**
 * `$share` duplicates across processes: `run --processes 2` with a share group whose members run in both
 * processes; a second client re-publishes captured payloads. Whichever member (in whichever process) gets a
 * copy, the merged result counts exactly one duplicate per re-published message (found at merge when the
 * original went to the other process).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mqbench } from '../helpers/cli.js';
import { injector } from '../helpers/injector.js';
import { useMosquitto } from '../helpers/useMosquitto.js';

const tmp = mkdtempSync(join(tmpdir(), 'mqbench-share-e2e-'));

describe('$share groups across --processes', () => {
  const mosq = useMosquitto();

  it('a message re-published to a group with members in 2 processes is one duplicate of the merged run', async () => {
    const runId = Math.random().toString(16).slice(2, 8);
    const file = join(tmp, 'share.yaml');
    writeFileSync(
      file,
      `
name: share-processes
target: { url: "${mosq.url}", mqttVersion: 5 }
duration: 4s
drain: 2s
groups:
  - name: pool
    count: 6
    clientId: "sp-{run}-{i}"
    connect: { rate: 1000/s }
    subscribe: [ { topic: "$share/pool/sp/{run}/t", qos: 1 } ]
  - name: pub
    count: 1
    clientId: "spub-{run}-{i}"
    publish: { topic: "sp/{run}/t", qos: 0, rate: 2000/s, payload: { size: 64 } }
`,
    );
    const seqs = [0, 1, 2, 3, 4, 5, 6, 7, 100, 101, 102, 103];
    const inj = await injector(mosq.url, `sp/${runId}/t`, seqs, 3000);
    const out = join(tmp, 'share.json');
    const r = await mqbench(['run', file, '--processes', '2', '--run-id', runId, '--workers', '1', '--out', out, '--quiet'], { timeoutMs: 90_000 });
    const republished = await Promise.race([
      inj.done,
      new Promise<number>((_, no) => setTimeout(() => no(new Error('the injector saw fewer than 3,000 messages')), 5_000)),
    ]);
    await inj.close();
    expect(r.code, r.stderr).toBe(0);
    expect(republished).toBe(seqs.length);
    const m = JSON.parse(readFileSync(out, 'utf8'));
    const msgs = m.summary.messages;
    expect(msgs.duplicated).toBe(republished);
    expect(msgs.lost).toBe(0);
    expect(msgs.received - msgs.duplicated).toBe(msgs.expected);
    // The merge looked at both processes' group records; what it found is part of the count above.
    expect(m.merged.shares.note).toMatch(/^\$share groups: \d+ messages? received by a group in more than one segment/);
    expect(m.merged.shares.crossSegmentDuplicates).toBeLessThanOrEqual(republished);
  });
});
