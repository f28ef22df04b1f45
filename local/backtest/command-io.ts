/**
 * Where a command writes: results to stdout (`log`), status lines and the progress bar to stderr
 * (`status`, `stderr`), so `npm run backtest … > summary.txt` captures only the summary. Tests pass
 * their own.
 */
export interface CommandIo {
  /** Results (stdout). */
  log(line: string): void;
  /** Status lines (stderr); silent with --quiet. */
  status(line: string): void;
  /** Where the progress bar draws (a bar appears only on a TTY). */
  readonly stderr: NodeJS.WriteStream;
}

export function consoleIo(quiet = false): CommandIo {
  return {
    log: (line) => console.log(line),
    status: quiet ? () => {} : (line) => console.error(line),
    stderr: process.stderr,
  };
}

/** The µs time as ISO text for messages. */
export function isoOf(us: number): string {
  return Number.isFinite(us) ? new Date(Math.floor(us / 1000)).toISOString() : '–';
}
