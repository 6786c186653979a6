import { describe, expect, it } from 'vitest';
import { indexExposition, parseSelector, select, selectSum } from './promParse.js';

const TEXT = `# HELP http_requests_total The total number of HTTP requests.
# TYPE http_requests_total counter
http_requests_total{method="post",code="200"} 1027 1395066363000
http_requests_total{method="post",code="400"}    3 1395066363000
http_requests_total{method="get",code="200"} 10
# Escaping in label values:
msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9
metric_without_labels 12.47
weird{problem="division by zero"} NaN
# TYPE rpc_duration_seconds summary
rpc_duration_seconds{quantile="0.5"} 4773
rpc_duration_seconds_sum 1.7560473e+07
rpc_duration_seconds_count 2693
# TYPE gc_seconds summary
gc_seconds_count{gc="Copy"} 104.0
gc_seconds_sum{gc="Copy"} 0.491
gc_seconds_count{gc="Mark"} 12.0
gc_seconds_sum{gc="Mark"} 0.486
`;

describe('indexExposition', () => {
  const index = indexExposition(TEXT);

  it('indexes series by sample name with labels and numeric values (timestamps dropped)', () => {
    expect(select(index, { name: 'http_requests_total', matchers: [] })).toEqual([
      { labels: { method: 'post', code: '200' }, value: 1027 },
      { labels: { method: 'post', code: '400' }, value: 3 },
      { labels: { method: 'get', code: '200' }, value: 10 },
    ]);
    expect(index.types.get('http_requests_total')).toBe('COUNTER');
    expect(selectSum(index, { name: 'metric_without_labels', matchers: [] })).toBe(12.47);
  });

  it('unescapes label values', () => {
    expect(select(index, parseSelector('msdos_file_access_time_seconds'))[0].labels).toEqual({
      path: 'C:\\DIR\\FILE.TXT',
      error: 'Cannot find file:\n"FILE.TXT"',
    });
  });

  it('drops NaN samples', () => {
    expect(selectSum(index, parseSelector('weird'))).toBeNull();
  });

  it('keeps _count and _sum of summaries, labelled or not', () => {
    expect(selectSum(index, parseSelector('rpc_duration_seconds_count'))).toBe(2693);
    expect(selectSum(index, parseSelector('gc_seconds_sum'))).toBeCloseTo(0.977, 9);
    expect(selectSum(index, parseSelector('gc_seconds_count{gc="Mark"}'))).toBe(12);
  });

  it('sums the series a selector picks, with = and != matchers', () => {
    expect(selectSum(index, parseSelector('http_requests_total'))).toBe(1040);
    expect(selectSum(index, parseSelector('http_requests_total{code="200"}'))).toBe(1037);
    expect(selectSum(index, parseSelector('http_requests_total{method="post", code!="200"}'))).toBe(3);
    expect(selectSum(index, parseSelector('http_requests_total{code="500"}'))).toBeNull();
    expect(selectSum(index, parseSelector('absent_metric'))).toBeNull();
  });

  it("throws on a malformed line (the library's error)", () => {
    expect(() => indexExposition('good 1\nbad{x=1} 2\n')).toThrow(/invalid line/);
  });
});

describe('parseSelector', () => {
  it('reads names and matchers, with commas and escapes inside values', () => {
    expect(parseSelector(' up ')).toEqual({ name: 'up', matchers: [] });
    expect(parseSelector('a:b_c{x="1,2",y!="q\\"z"}')).toEqual({
      name: 'a:b_c',
      matchers: [
        { label: 'x', op: '=', value: '1,2' },
        { label: 'y', op: '!=', value: 'q"z' },
      ],
    });
    expect(parseSelector('m{}')).toEqual({ name: 'm', matchers: [] });
  });

  it.each([
    ['1bad', /not a Prometheus metric name/],
    ['m{a="1"', /must end with "}"/],
    ['m{a=1}', /cannot read the label matcher "a=1"/],
    ['m{a=~"x"}', /cannot read the label matcher/],
  ])('refuses %s', (text, why) => {
    expect(() => parseSelector(text)).toThrow(why);
  });
});
