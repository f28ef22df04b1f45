import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type BacktestCommandOptions, register, runBacktestCommand } from '../../../bin/commands/backtest.ts';
import { TO_ISO, TO_US, USDM } from './data.ts';
import { captureIo, parseWith, tempDir } from './harness.ts';

const base = ['backtest', '--strategy', 'market-maker', '--scenario', 'balanced', '--data', USDM];

describe('backtest: argument parsing', () => {
  const parse = (args: string[]) => parseWith<BacktestCommandOptions>(register, args);

  it('maps every option to typed values', async () => {
    const { options, error } = await parse([
      ...base,
      '--from',
      '2024-08-08T23:54:30Z',
      '--to',
      '2024-08-08 23:55:00.5',
      '--symbols',
      'BTCUSDT, binance-futures:BTCUSDT',
      '--params',
      'spread_bps=5,num_levels=2',
      '--params',
      'spread_bps=7',
      '--seed',
      '42',
      '--queue',
      'prob:log',
      '--latency-ms',
      '2.5',
      '--fast',
      '--no-parquet',
      '--out',
      'x',
    ]);
    expect(error).toBeUndefined();
    expect(options).toMatchObject({
      strategy: 'market-maker',
      scenario: 'balanced',
      data: USDM,
      from: Date.parse('2024-08-08T23:54:30Z') * 1000,
      to: Date.parse('2024-08-08T23:55:00.500Z') * 1000,
      symbols: ['BTCUSDT', 'binance-futures:BTCUSDT'],
      params: { spread_bps: '7', num_levels: '2' },
      seed: 42,
      queue: { model: 'prob', fn: 'log' },
      latencyUs: 2500,
      fast: true,
      parquet: false,
      out: 'x',
      mcSims: 1000,
    });
  });

  it('defaults: seed 1, Parquet on, no filters', async () => {
    const { options } = await parse(base);
    expect(options).toMatchObject({ seed: 1, parquet: true, params: {} });
    expect(options?.from).toBeUndefined();
    expect(options?.latencyUs).toBeUndefined();
  });

  it.each([
    [['backtest', '--scenario', 'balanced', '--data', USDM], /required option '--strategy <name>'/],
    [['backtest', '--strategy', 'market-maker', '--data', USDM], /required option '--scenario <name>'/],
    [['backtest', '--strategy', 'market-maker', '--scenario', 'balanced'], /required option '--data <path>'/],
    [[...base.slice(0, 2), 'nope', ...base.slice(3)], /unknown strategy "nope" \(known: market-maker/],
    [
      ['backtest', '--strategy', 'market-maker', '--scenario', 'yolo', '--data', USDM],
      /unknown scenario "yolo"/,
    ],
    [[...base, '--seed', '-1'], /--seed <n>.*integer ≥ 0/],
    [[...base, '--seed', '1.5'], /--seed <n>.*integer ≥ 0/],
    [[...base, '--seed', String(2 ** 32)], /below 2\^32/],
    [[...base, '--from', 'yesterday'], /--from <iso>.*ISO 8601/],
    [[...base, '--to', '2024-13-45T00:00:00Z'], /--to <iso>.*not a valid calendar/],
    [[...base, '--params', 'spread_bps'], /"spread_bps" is not name=value/],
    [[...base, '--queue', 'fifo'], /unknown queue model "fifo"/],
    [[...base, '--queue', 'prob:power:-2'], /not an exponent > 0/],
    [[...base, '--latency-ms', '-3'], /latency in ms ≥ 0/],
    [[...base, '--mc-sims', '0'], /integer ≥ 1/],
    [[...base, '--symbols', ' , '], /one or more symbols/],
  ])('rejects %j', async (args, message) => {
    const { options, error } = await parse(args);
    expect(options).toBeUndefined();
    expect(error).toMatch(message);
  });
});

describe('backtest: a run end to end (first minute of Binance USD-M BTCUSDT)', () => {
  const tmp = tempDir('backtest-cmd-');
  afterAll(() => tmp.cleanup());
  const opts = (out: string, parquet = false): BacktestCommandOptions => ({
    strategy: 'market-maker',
    scenario: 'balanced',
    data: USDM,
    to: TO_US,
    seed: 7,
    out,
    parquet,
    quiet: true,
  });

  it('writes report.html, metrics.json and trades.csv (+ tables) and prints the summary', async () => {
    const io = captureIo();
    const out = join(tmp.dir, 'run');
    const run = await runBacktestCommand(opts(out, true), io);
    for (const f of [
      'report.html',
      'metrics.json',
      'trades.csv',
      'orders.csv',
      'equity.csv',
      'round-trips.csv',
    ])
      expect(existsSync(join(out, f)), f).toBe(true);
    for (const f of ['trades.parquet', 'orders.parquet', 'equity.parquet'])
      expect(existsSync(join(out, f)), f).toBe(true);

    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as Record<string, unknown>;
    for (const key of [
      'totalReturn',
      'sharpeOverPeriod',
      'sharpePerSample',
      'maxDrawdown',
      'fillRatio',
      'pnl',
      'winRate',
      'numFills',
    ])
      expect(typeof metrics[key], key).toBe('number');
    // Minutes of data: the annualized keys are kept, null.
    expect(metrics.annualized).toBe(false);
    expect(metrics.sharpe).toBeNull();
    expect(metrics.numFills).toBe(run.result.fills.length);
    expect(run.result.fills.length).toBeGreaterThan(0);
    expect(metrics.initialCapital).toBe(100_000);

    const trades = readFileSync(join(out, 'trades.csv'), 'utf8').trim().split('\n');
    expect(trades[0]).toMatch(/^ts,timeUtc,exchange,symbol,orderId,side,price,size/);
    expect(trades.length - 1).toBe(run.result.fills.length);

    const html = readFileSync(join(out, 'report.html'), 'utf8');
    for (const plot of [
      'equity',
      'drawdown',
      'position',
      'price',
      'pnl-distribution',
      'mc-return',
      'mc-drawdown',
    ])
      expect(html, plot).toContain(`data-plot="${plot}"`);

    // The balanced scenario sizes the strategy: 3 % of capital per order at the opening price.
    expect(run.sizing).toBeDefined();
    expect(run.sizing!.orderNotional).toBeLessThanOrEqual(3000);
    expect(run.sizing!.orderNotional).toBeGreaterThan(3000 - 62); // within one 0.001 lot at ~61 800
    expect(run.result.params.order_size).toBe(run.sizing!.orderSize);
    expect(run.result.params.max_position).toBe(run.sizing!.positionLimit);

    const text = io.out.join('\n');
    expect(text).toContain(`backtest ${run.result.runId}`);
    expect(text).toMatch(/Total return\s+−?\d/);
    expect(text).toMatch(/Sharpe \(run\)\s+−?[\d,]+\.\d\d\s+sharpeOverPeriod/);
    expect(text).toMatch(/Sharpe \(ann\.\)\s+–\s+sharpe\n/);
    expect(text).toContain('Not annualized: the run covers');
    expect(text).toContain('Monte Carlo (1000 bootstrap paths');
    expect(text).toContain(`output: ${out}`);
  });

  it('is deterministic: same data, parameters and seed → byte-identical files', async () => {
    const a = join(tmp.dir, 'a');
    const b = join(tmp.dir, 'b');
    await runBacktestCommand(opts(a), captureIo());
    await runBacktestCommand(opts(b), captureIo());
    for (const f of [
      'metrics.json',
      'trades.csv',
      'orders.csv',
      'equity.csv',
      'round-trips.csv',
      'report.html',
    ])
      expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
  });

  it('explicit --params win over the scenario; unknown ones are refused with the known list', async () => {
    const run = await runBacktestCommand(
      { ...opts(join(tmp.dir, 'p')), params: { order_size: '0.002', spread_bps: '4' } },
      captureIo(),
    );
    expect(run.result.params).toMatchObject({ order_size: 0.002, spread_bps: 4 });
    await expect(
      runBacktestCommand({ ...opts(join(tmp.dir, 'q')), params: { sprd: '4' } }, captureIo()),
    ).rejects.toThrow(/sprd: unknown parameter \(known: symbol, spread_bps/);
  });

  it('says why orders were refused (0.001 BTC is below the USD-M 100 USDT minimum notional)', async () => {
    const io = captureIo();
    const run = await runBacktestCommand(
      { ...opts(join(tmp.dir, 'm')), params: { order_size: '0.001' } },
      io,
    );
    expect(run.metrics.numFills).toBe(0);
    expect(run.metrics.numRejected).toBe(run.metrics.numOrders);
    expect(io.out.join('\n')).toContain(
      `rejected orders: min_notional ${run.metrics.numRejected.toLocaleString('en-US')}`,
    );
  });

  it('refuses --from after --to, and a window without data', async () => {
    await expect(
      runBacktestCommand({ ...opts(join(tmp.dir, 'r')), from: TO_US, to: TO_US - 1 }, captureIo()),
    ).rejects.toThrow('--from must be earlier than --to');
    await expect(
      runBacktestCommand(
        { ...opts(join(tmp.dir, 's')), from: Date.parse('2030-01-01T00:00:00Z') * 1000, to: undefined },
        captureIo(),
      ),
    ).rejects.toThrow(/no market data within from 2030-01-01.*BTCUSDT/);
    expect(TO_ISO).toBe('2024-08-08T23:55:15Z');
  });
});
