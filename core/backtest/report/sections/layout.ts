/** Small HTML building blocks shared by the report sections. */
import { escapeHtml } from '../escape.ts';

export function section(id: string, title: string, body: string, subtitle?: string): string {
  const sub = subtitle ? `<span class="sub">${escapeHtml(subtitle)}</span>` : '';
  return `<section id="${escapeHtml(id)}"><h2>${escapeHtml(title)}${sub}</h2>${body}</section>`;
}

export function figure(svg: string, caption?: string): string {
  return `<figure class="card">${svg}${caption ? `<figcaption>${caption}</figcaption>` : ''}</figure>`;
}

/** 'pos' / 'neg' class for a signed number ('' for 0 or non-numbers). */
export function signClass(v: number): string {
  return v > 0 ? 'pos' : v < 0 ? 'neg' : '';
}

export interface Currencies {
  readonly base: string;
  readonly quote: string;
}

/** Base and quote of unified symbols (BASE/QUOTE[:SETTLE]); generic words when they disagree. */
export function currenciesOf(symbols: readonly string[]): Currencies {
  const pairs = symbols.map((s) => {
    const [base = '', rest = ''] = s.split('/');
    return { base, quote: rest.split(':')[0] ?? '' };
  });
  const one = (values: string[], fallback: string) =>
    values.length > 0 && values.every((v) => v === values[0] && v !== '') ? values[0]! : fallback;
  return {
    base: one(
      pairs.map((p) => p.base),
      'base',
    ),
    quote: one(
      pairs.map((p) => p.quote),
      'quote',
    ),
  };
}

export function table(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly boolean[],
  cls = '',
): string {
  const th = head.map((h, i) => `<th${numeric[i] ? ' class="num"' : ''}>${h}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`)
    .join('');
  return `<div class="table-wrap"><table${cls ? ` class="${cls}"` : ''}><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></div>`;
}
