/**
 * Rows → an aligned fixed-width text table for the terminal (the CLI commands and benchmarks):
 * the first row is the header, a rule of '─' under it, columns two spaces apart; `right[c]`
 * right-aligns column c. Widths count code points, so '—' and 'µ' take one column.
 */
export function textTableLines(
  rows: readonly (readonly string[])[],
  right: readonly boolean[] = [],
): string[] {
  if (rows.length === 0) return [];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  const pad = (cell: string, c: number) => {
    const fill = ' '.repeat(Math.max(0, widths[c]! - [...cell].length));
    return right[c] ? fill + cell : cell + fill;
  };
  const lines = rows.map((r) =>
    r
      .map((cell, c) => pad(cell, c))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => '─'.repeat(w)).join('  '));
  return lines;
}

/** textTableLines joined into one string. */
export function textTable(rows: readonly (readonly string[])[], right: readonly boolean[] = []): string {
  return textTableLines(rows, right).join('\n');
}
