import { describe, expect, it } from 'vitest';
import { CSV_HEADER, csvField, renderCsv } from './csv.js';
import { makeResults } from './fixture.test-helper.js';

describe('CSV', () => {
  const r = makeResults({ target: { label: 'mosquitto' } });
  const lines = renderCsv([{ results: r, repeat: 2 }])
    .trimEnd()
    .split('\n');

  it('starts with the header and has summary rows named like thresholds', () => {
    expect(lines[0]).toBe(CSV_HEADER);
    expect(lines).toContain('mosquitto,fanout-commands,2,summary,,,status,complete');
    expect(lines).toContain('mosquitto,fanout-commands,2,summary,,,endToEnd.p99,1.2449');
    expect(lines).toContain('mosquitto,fanout-commands,2,summary,,,throughput.receivedPerSec,1999.6');
    expect(lines).toContain('mosquitto,fanout-commands,2,summary,,,reconnect.p99,'); // nothing measured: empty
  });

  it('has per-second rows', () => {
    expect(lines).toContain('mosquitto,fanout-commands,2,second,1,measure,sent,2000');
    expect(lines).toContain('mosquitto,fanout-commands,2,second,-1,connect,endToEndP99,');
    expect(lines.every((l) => l.split(',').length === 8)).toBe(true);
  });

  it('quotes fields and defuses formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=cmd()')).toBe("'=cmd()");
    expect(csvField(Infinity)).toBe('');
  });
});
