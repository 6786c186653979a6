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

  function options(c: ChartSpec, width: number, logLatency: boolean): UPlot.Options {
    const ticks = c.ticks;
    const tickLabel = new Map<number, string>((ticks?.at ?? []).map((x, i) => [x, ticks?.labels[i] ?? String(x)]));
    const xAxis: UPlot.Axis = { label: c.xLabel };
    if (ticks) {
      xAxis.splits = () => ticks.at;
      xAxis.filter = (_u, splits) => splits;
      xAxis.values = (_u, splits) => splits.map((v) => tickLabel.get(v) ?? '');
    }
    const series: UPlot.Series[] = [
      { label: c.xKind === 'percentile' ? 'percentile' : c.xLabel, value: (_u, _v, _s, idx) => (idx === null || idx === undefined ? '–' : c.xText[idx] ?? '–') },
    ];
    for (const s of c.series) {
      const one: UPlot.Series = { label: s.label, stroke: s.color, width: 2, spanGaps: false };
      if (s.dash) one.dash = [8, 5];
      if (s.noPoints || c.xKind === 'percentile') one.points = { show: false };
      if (s.pointsOnly) {
        one.paths = () => null;
        one.points = { show: true, size: 10, fill: s.color, stroke: s.color };
      }
      series.push(one);
    }
    const logY = c.xKind === 'percentile' && logLatency;
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

  const logToggle = document.getElementById('pct-log') as HTMLInputElement | null;
  const logLatency = (): boolean => logToggle?.checked ?? true;
  const plots: { host: HTMLElement; spec: ChartSpec; plot: UPlot }[] = [];

  function draw(c: ChartSpec, host: HTMLElement): UPlot | undefined {
    try {
      const columns = [c.x, ...c.series.map((s) => s.values)] as UPlot.AlignedData;
      return new uPlot(options(c, widthOf(host), logLatency()), columns, host);
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

  logToggle?.addEventListener('change', () => {
    for (const p of plots) {
      if (p.spec.xKind !== 'percentile') continue;
      p.plot.destroy();
      const again = draw(p.spec, p.host);
      if (again) p.plot = again;
    }
  });

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
