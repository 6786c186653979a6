/** The report page's own stylesheet: system fonts only, readable on screen and when printed. */
export const REPORT_CSS = `
:root { --fg: #1d232b; --muted: #5b6573; --line: #d9dee5; --bg: #ffffff; --band: #f5f7fa; --ok: #2e7d32; --bad: #c62828; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header { padding: 20px 28px 8px; border-bottom: 1px solid var(--line); background: var(--band); }
h1 { margin: 0 0 4px; font-size: 22px; }
h2 { margin: 28px 0 10px; font-size: 18px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { margin: 18px 0 6px; font-size: 15px; }
main { padding: 0 28px 28px; max-width: 1280px; }
.meta, .note, footer { color: var(--muted); }
.runs { margin: 6px 0; padding-left: 22px; }
nav { margin: 8px 0 4px; }
nav a { color: #0b5cad; text-decoration: none; }
table { border-collapse: collapse; margin: 6px 0 12px; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { background: var(--band); font-weight: 600; }
tbody th { font-weight: 500; color: var(--muted); white-space: nowrap; }
table.summary td { text-align: right; }
td.num { text-align: right; }
.ok { color: var(--ok); font-weight: 600; }
.bad { color: var(--bad); font-weight: 600; }
ul.warnings li { color: #8a4b00; }
.chart-box { margin: 14px 0 22px; }
.chart-box figcaption { font-weight: 600; margin-bottom: 4px; }
.chart { width: 100%; min-height: 40px; }
.toggle { display: inline-block; margin: 2px 0 4px; user-select: none; }
.chart.empty { color: var(--muted); font-style: italic; }
footer { padding: 12px 28px 24px; border-top: 1px solid var(--line); }
h4 { margin: 12px 0 4px; font-size: 14px; }
.toolbar { margin: 6px 0 2px; color: var(--muted); }
.toolbar label { margin-right: 10px; color: var(--fg); user-select: none; }
section.scenario { border-top: 3px solid var(--line); margin-top: 28px; }
section.scenario > h2 { border-bottom: none; }
table.overview td { vertical-align: top; min-width: 180px; font-weight: normal; }
table.overview td.ok { border-left: 4px solid var(--ok); color: var(--fg); }
table.overview td.bad { border-left: 4px solid var(--bad); color: var(--fg); }
table.compare tr.group th { background: var(--band); color: var(--fg); font-weight: 600; padding-top: 8px; }
td.best { color: var(--ok); font-weight: 700; }
td.invalid { color: var(--muted); font-style: italic; text-align: right; }
.muted { color: var(--muted); font-weight: normal; }
details { margin: 10px 0; }
details > summary { cursor: pointer; font-weight: 600; }
.u-legend .u-value { font-variant-numeric: tabular-nums; }
@media print { .chart-box { break-inside: avoid; } }
`;
