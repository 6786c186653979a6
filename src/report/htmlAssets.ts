/**
 * The charting library the HTML report inlines: uPlot's distributed browser build, its stylesheet and its
 * licence, read from node_modules at run time so the report needs no network.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

export interface ChartLibrary {
  name: string;
  version: string;
  /** The browser build that defines the global `uPlot`. */
  js: string;
  css: string;
  license: string;
}

export async function loadChartLibrary(): Promise<ChartLibrary> {
  const require = createRequire(import.meta.url);
  const file = (sub: string): Promise<string> => readFile(require.resolve(`uplot/${sub}`), 'utf8');
  const [js, css, license, pkg] = await Promise.all([file('dist/uPlot.iife.min.js'), file('dist/uPlot.min.css'), file('LICENSE'), file('package.json')]);
  return { name: 'uPlot', version: String((JSON.parse(pkg) as { version?: unknown }).version ?? '?'), js, css, license };
}

/** Text safe inside an inline <script>: no "</script" (any case) or "<!--" can end or confuse the element. */
export function inlineScriptText(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** Text safe inside an inline <style>. */
export function inlineStyleText(text: string): string {
  return text.replace(/<\/(style)/gi, '<\\/$1');
}

/**
 * JSON for a <script type="application/json"> block: every "<" becomes \u003c (still the same JSON), so no
 * value — a label such as "</script><script>…" — can close the element.
 */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A licence text as a block comment that keeps its line breaks and cannot end early. */
export function licenseComment(lib: ChartLibrary): string {
  return `/*! ${lib.name} ${lib.version} — MIT licence:\n${lib.license.replace(/\*\//g, '* /').trim()}\n*/`;
}
