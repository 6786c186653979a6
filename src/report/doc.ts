/**
 * A small document model for text reports that go out both as Markdown and as one self-contained HTML page
 * (the report's own stylesheet, no script, no network): headings, paragraphs, tables and lists of plain text.
 */
import { VERSION } from '../shared/version.js';
import { esc } from './htmlTables.js';
import { REPORT_CSS } from './htmlStyle.js';
import { mdCell, mdTable } from './markdown.js';

export type Block =
  | { kind: 'h1' | 'h2' | 'p'; text: string; strong?: boolean }
  | { kind: 'table'; head: string[]; rows: string[][] }
  | { kind: 'ul'; items: string[] }
  | { kind: 'code'; lines: string[] };

export function toMarkdown(blocks: Block[]): string {
  return `${blocks
    .map((b) => {
      switch (b.kind) {
        case 'h1':
          return `# ${b.text}`;
        case 'h2':
          return `## ${b.text}`;
        case 'p':
          return b.strong ? `**${b.text}**` : b.text;
        case 'table':
          return mdTable(b.head, b.rows);
        case 'ul':
          return b.items.map((i) => `- ${mdCell(i)}`).join('\n');
        case 'code':
          return ['```', ...b.lines, '```'].join('\n');
      }
    })
    .join('\n\n')}\n`;
}

function htmlBlock(b: Block): string {
  switch (b.kind) {
    case 'h1':
      return `<h1>${esc(b.text)}</h1>`;
    case 'h2':
      return `<h2>${esc(b.text)}</h2>`;
    case 'p':
      return b.strong ? `<p><strong>${esc(b.text)}</strong></p>` : `<p>${esc(b.text)}</p>`;
    case 'table': {
      const head = b.head.map((h) => `<th>${esc(h)}</th>`).join('');
      const rows = b.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('');
      return `<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
    }
    case 'ul':
      return `<ul>${b.items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
    case 'code':
      return `<pre>${esc(b.lines.join('\n'))}</pre>`;
  }
}

/** One HTML page: the first h1 goes in the header, the rest in the body. */
export function toHtml(blocks: Block[], generatedAt: Date): string {
  const title = blocks.find((b) => b.kind === 'h1');
  const body = blocks.filter((b) => b !== title);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title && 'text' in title ? title.text : 'mqbench')}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    '<header>',
    title ? htmlBlock(title) : '',
    `<p class="meta">generated ${esc(generatedAt.toISOString())} by mqbench ${esc(VERSION)}</p>`,
    '</header>',
    '<main>',
    ...body.map(htmlBlock),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
