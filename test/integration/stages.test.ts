import { describe, expect, it } from 'vitest';
import { useMosquitto } from '../helpers/useMosquitto.js';
import { runYaml } from '../helpers/runScenario.js';

describe('stages (ramp up, hold, ramp down) against mosquitto', () => {
  const mosq = useMosquitto();

  it('the per-second send counts follow the ramp exactly, over 2 workers, and nothing is lost', async () => {
    const { results } = await runYaml(
      `
name: ramp
target: { url: "${mosq.url}" }
stages:
  - { duration: 2s, rate: 100% }
  - { duration: 2s, rate: 100% }
  - { duration: 2s, rate: 0% }
groups:
  - name: devices
    count: 20
    connect: { rate: 5000/s }
    subscribe: [ { topic: "r/{run}/{i}", qos: 1 } ]
  - name: backend
    count: 2
    publish: { topic: "r/{run}/{target}", targets: devices, qos: 1, rate: 400/s }
`,
      2,
    );
    const perSecond = results.intervals.filter((r) => r.t >= 1 && r.t <= 6).map((r) => r.sent);
    // Area under the profile per second × 400/s: 0.25, 0.75, 1, 1, 0.75, 0.25.
    const want = [100, 300, 400, 400, 300, 100];
    // A snapshot that fires a few ms late moves a few sends into the next row: allow 2% of the peak.
    perSecond.forEach((n, i) => expect(Math.abs(n - want[i])).toBeLessThanOrEqual(8));
    expect(Math.abs(results.summary.messages.sent - 1600)).toBeLessThanOrEqual(1);
    expect(results.summary.messages.lost).toBe(0);
    expect(results.durationSec).toBeCloseTo(6, 1);
  });
});
