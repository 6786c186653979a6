/**
 * The script that runs in the report page: reads the chart data from the page's JSON block and draws each
 * chart with uPlot (inlined ahead of it). Serialized with Function.prototype.toString, so it must not use
 * anything from outside its own body: imports here are types only.
 */
import type UPlot from 'uplot';
import type { ChartSpec, ReportData } from './htmlData.js';

declare const uPlot: typeof UPlot;

/** Id of the `<script type="application/json">` element holding the ReportData. */
export const DATA_ELEMENT_ID = 'report-data';

export function reportClient(dataElementId: string): void {
  const HEIGHT = 320;
  const source = document.getElementById(dataElementId);
  const data = JSON.parse(source?.textContent ?? '{"runs":[],"charts":[]}') as ReportData;

  function widthOf(host: HTMLElement): number {
    return Math.max(320, Math.floor(host.clientWidth));
  }

  function drawMarkers(c: ChartSpec, u: UPlot): void {
    const ctx = u.ctx;
    const dpr = window.devicePixelRatio || 1;
    const { top, height } = u.bbox;
    (c.markers ?? []).forEach((m, k) => {
      const px = Math.round(u.valToPos(m.x, 'x', true));
      ctx.save();
      ctx.strokeStyle = m.color;
      ctx.fillStyle = m.color;
      ctx.lineWidth = 2 * dpr;
      ctx.setLineDash([5 * dpr, 4 * dpr]);
      ctx.beginPath();
      ctx.moveTo(px, top);
      ctx.lineTo(px, top + height);
      ctx.stroke();
      ctx.font = `${12 * dpr}px system-ui, sans-serif`;
      ctx.textAlign = 'left';
      ctx.textBaseline = 'alphabetic';
      const textWidth = ctx.measureText(m.label).width;
      const right = u.bbox.left + u.bbox.width;
      const tx = px + 6 * dpr + textWidth > right ? px - 6 * dpr - textWidth : px + 6 * dpr;
      ctx.fillText(m.label, tx, top + (16 + 16 * k) * dpr);
      ctx.restore();
    });
  }

  /** A legend value: at the cursor when it is on the chart, else the series' last value (marked "end"). */
  function fmtValue(v: number, unit: string): string {
    const a = Math.abs(v);
    const text = a >= 100 ? Math.round(v).toLocaleString('en-US') : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
    return `${text}${unit}`;
  }

  function lastIndex(values: (number | null)[]): number {
    for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return i;
    return -1;
  }

  function options(c: ChartSpec, width: number, logY: boolean): UPlot.Options {
    const ticks = c.ticks;
    const tickLabel = new Map<number, string>((ticks?.at ?? []).map((x, i) => [x, ticks?.labels[i] ?? String(x)]));
    const xAxis: UPlot.Axis = { label: c.xLabel };
    if (ticks) {
      xAxis.splits = () => ticks.at;
      xAxis.filter = (_u, splits) => splits;
      xAxis.values = (_u, splits) => splits.map((v) => tickLabel.get(v) ?? '');
    }
    const series: UPlot.Series[] = [
      {
        label: c.xKind === 'percentile' ? 'percentile' : c.xLabel,
        value: (_u, _v, _s, idx) => (idx === null || idx === undefined ? 'end' : (c.xText[idx] ?? '–')),
      },
    ];
    for (const s of c.series) {
      const last = lastIndex(s.values);
      const unit = s.unit ?? '';
      const one: UPlot.Series = {
        label: s.label,
        stroke: s.color,
        width: s.width ?? 2,
        spanGaps: s.spanGaps === true,
        value: (_u, v, _si, idx) => {
          if (idx === null || idx === undefined) return last < 0 ? 'no data' : `${fmtValue(s.values[last] as number, unit)} (end)`;
          return v === null || v === undefined ? '–' : fmtValue(v, unit);
        },
      };
      if (s.dash) one.dash = s.dash;
      one.points = { show: true, size: 6, stroke: s.color, fill: s.hollow ? '#ffffff' : s.color };
      if (s.noPoints || c.xKind === 'percentile') one.points = { show: false };
      if (s.pointsOnly) {
        one.paths = () => null;
        one.points = { show: true, size: 10, fill: s.color, stroke: s.color };
      }
      series.push(one);
    }
    return {
      width,
      height: HEIGHT,
      scales: {
        x: c.xKind === 'percentile' ? { time: false, distr: 3, log: 10, range: () => [c.x[0], c.x[c.x.length - 1]] } : { time: false },
        y: logY ? { distr: 3, log: 10 } : { range: (_u, _min, max) => [0, max !== null && max > 0 ? max * 1.08 : 1] },
      },
      axes: [xAxis, { label: logY ? `${c.yLabel}, log scale` : c.yLabel, size: 64 }],
      series,
      legend: { live: true },
      hooks: c.markers && c.markers.length > 0 ? { draw: [(u) => drawMarkers(c, u)] } : {},
    };
  }

  const toggle = (id: string | undefined): HTMLInputElement | null => (id ? (document.getElementById(id) as HTMLInputElement | null) : null);
  /** A log y axis needs positive values: a series with a 0 (or no value at all) keeps the linear axis. */
  const logWanted = (c: ChartSpec): boolean => Boolean(toggle(c.logToggle)?.checked) && c.series.every((s) => s.values.every((v) => v === null || v > 0));
  const plots: { host: HTMLElement; spec: ChartSpec; plot: UPlot }[] = [];

  function draw(c: ChartSpec, host: HTMLElement): UPlot | undefined {
    try {
      const columns = [c.x, ...c.series.map((s) => s.values)] as UPlot.AlignedData;
      const logY = logWanted(c);
      host.dataset.yScale = logY ? 'log' : 'linear';
      return new uPlot(options(c, widthOf(host), logY), columns, host);
    } catch (err) {
      host.textContent = `This chart could not be drawn: ${String(err)}`;
      console.error(err);
      return undefined;
    }
  }

  for (const c of data.charts) {
    const host = document.getElementById(c.id);
    if (!host) continue;
    if (c.series.length === 0 || c.x.length === 0) {
      host.textContent = 'No data for this chart.';
      host.className += ' empty';
      continue;
    }
    const plot = draw(c, host);
    if (plot) plots.push({ host, spec: c, plot });
  }

  const toggleIds = [...new Set(data.charts.map((c) => c.logToggle).filter((id): id is string => Boolean(id)))];
  for (const id of toggleIds) {
    toggle(id)?.addEventListener('change', () => {
      for (const p of plots) {
        if (p.spec.logToggle !== id) continue;
        p.plot.destroy();
        const again = draw(p.spec, p.host);
        if (again) p.plot = again;
      }
    });
  }

  let pending = 0;
  window.addEventListener('resize', () => {
    window.clearTimeout(pending);
    pending = window.setTimeout(() => {
      for (const p of plots) p.plot.setSize({ width: widthOf(p.host), height: HEIGHT });
    }, 100);
  });
}

/** The page script: the function above, called on the data element. */
export function clientScript(): string {
  return `(${reportClient.toString()})(${JSON.stringify(DATA_ELEMENT_ID)});`;
}
