/** Types for parse-prometheus-text-format 1.1.1 (the package ships none): values stay strings, as in prom2json. */
declare module 'parse-prometheus-text-format' {
  interface PromSample {
    value?: string;
    labels?: Record<string, string>;
    timestamp_ms?: string;
    /** Summaries and histograms: `<name>_count` / `<name>_sum`, and quantiles or buckets by label value. */
    count?: string;
    sum?: string;
    quantiles?: Record<string, string>;
    buckets?: Record<string, string>;
  }
  interface PromFamily {
    name: string;
    help: string;
    /** 'COUNTER', 'GAUGE', 'SUMMARY', 'HISTOGRAM', 'UNTYPED', or whatever else the exposition declares. */
    type: string;
    metrics: PromSample[];
  }
  /** Throws InvalidLineError ("Encountered invalid line: ...") on a malformed line. */
  function parsePrometheusTextFormat(text: string): PromFamily[];
  export = parsePrometheusTextFormat;
}
