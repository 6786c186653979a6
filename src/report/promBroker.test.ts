import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { makeBrokerResults } from '../observe/brokerFixture.test-helper.js';
import { setBrokerGauges } from './promBroker.js';

describe('broker gauges for the Prometheus exporter', () => {
  it("exposes CPU, memory, costs, the counts difference and each source's state", async () => {
    const registry = new Registry();
    setBrokerGauges(registry, makeBrokerResults());
    const text = await registry.metrics();
    expect(text).toContain('mqbench_broker_cpu_cores{stat="avg"} 0.5');
    expect(text).toContain('mqbench_broker_busiest_thread_cpu_cores{stat="max"} 0.99');
    expect(text).toContain('mqbench_broker_cpu_host_ratio{stat="max"} 0.2475');
    expect(text).toContain(`mqbench_broker_resident_memory_bytes{stat="max"} ${6 * 2 ** 20}`);
    expect(text).toContain('mqbench_broker_cpu_seconds_per_message{direction="in"} 0.00025');
    expect(text).toContain('mqbench_broker_memory_per_connection_bytes 5222');
    expect(text).toContain('mqbench_broker_count_difference{counter="sent"} -10');
    expect(text).toContain('mqbench_broker_source_up{kind="sys",target="mqtt://127.0.0.1:1883 $SYS"} 1');
  });
});
