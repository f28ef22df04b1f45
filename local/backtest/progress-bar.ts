/**
 * A progress bar on stderr (cli-progress) for long runs: tape rows for a backtest (driven by the
 * engine's onProgress), runs for a sweep. Only on a terminal and unless quiet: piped output and logs
 * stay clean. The engine loop is synchronous, so the bar redraws from update() itself
 * (cli-progress' synchronousUpdate), not from a timer.
 */
import cliProgress from 'cli-progress';

export interface ProgressSink {
  update(done: number, total: number): void;
  stop(): void;
}

export interface ProgressBarOptions {
  readonly label: string;
  /** What is counted ("rows", "runs"). */
  readonly unit: string;
  /** Default process.stderr. */
  readonly stream?: NodeJS.WriteStream;
  readonly quiet?: boolean;
}

const SILENT: ProgressSink = { update() {}, stop() {} };

export function progressBar(options: ProgressBarOptions): ProgressSink {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || !stream.isTTY) return SILENT;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${options.label} [{bar}] {percentage}% | {value}/{total} ${options.unit} | {duration_formatted} elapsed, eta {eta_formatted}`,
      barsize: 30,
      hideCursor: true,
      clearOnComplete: true,
      synchronousUpdate: true,
      fps: 10,
      formatValue: (v, _o, type) =>
        type === 'value' || type === 'total' ? v.toLocaleString('en-US') : String(v),
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else {
        if (bar.getTotal() !== total) bar.setTotal(total);
        bar.update(done);
      }
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
