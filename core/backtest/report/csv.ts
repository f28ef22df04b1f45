/**
 * CSV as a pure string builder (RFC 4180: comma separated, a header row, text quoted when it holds a
 * comma, quote or newline, "\n" line ends). Numbers are written in JavaScript's shortest round-trip
 * form, so reading the file back gives the same doubles; a non-finite number or a missing value is
 * an empty field (NULL for DuckDB). Each column declares its type so a Parquet copy can be typed
 * exactly instead of guessed.
 */

export type ColumnType = 'int' | 'float' | 'text';

export interface Column<T> {
  readonly name: string;
  readonly type: ColumnType;
  readonly value: (row: T) => string | number | null | undefined;
}

export interface ColumnSchema {
  readonly name: string;
  readonly type: ColumnType;
}

export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function buildCsv<T>(columns: readonly Column<T>[], rows: Iterable<T>): string {
  const lines = [columns.map((c) => csvField(c.name)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(c.value(row))).join(','));
  return `${lines.join('\n')}\n`;
}

export function schemaOf<T>(columns: readonly Column<T>[]): ColumnSchema[] {
  return columns.map(({ name, type }) => ({ name, type }));
}
