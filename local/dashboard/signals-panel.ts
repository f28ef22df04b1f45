/**
 * The dashboard's signals panel: polls `GET /signals` (fargate/signals/live-signals.ts) every
 * second and shows, per venue and instrument, the pipeline's final values and signal counts by
 * type, the arbitrage opportunities (count and the latest ones) and funding (predicted and current
 * rate, next funding time, cost of holding the configured notional until then). Where
 * `/api/state` does not say `signals: true` (no `/signals` route is served) the panel says
 * "signals off" and asks nothing more. Values reach the page only through textContent (never as
 * markup).
 */
export const SIGNALS_PANEL_STYLE = /* css */ `
  .signals { margin:14px 20px 0; background:var(--panel); border:1px solid var(--line); border-radius:8px; padding:12px 14px; }
  .signals h2 { margin:0 0 6px; font-size:16px; display:flex; gap:12px; align-items:baseline; }
  .signals .sub { color:var(--muted); font-weight:400; font-size:13px; }
`;

export const SIGNALS_PANEL_HTML = /* html */ `
<section id="signals" class="signals" aria-label="signals">
  <h2>signals <span class="sub" data-field="signals-summary">…</span></h2>
  <div data-field="signals-body" hidden>
    <h3>per venue</h3>
    <table data-table="signal-instruments"></table>
    <h3>arbitrage opportunities: <span data-field="arbitrage-count">0</span></h3>
    <table data-table="arbitrage"></table>
    <h3>funding</h3>
    <table data-table="funding"></table>
  </div>
</section>
`;

export const SIGNALS_PANEL_SCRIPT = /* js */ `
(() => {
  const panel = document.getElementById('signals');
  if (!panel) return;
  const field = (name) => panel.querySelector('[data-field="' + name + '"]');
  const cell = (text, cls) => { const td = document.createElement('td'); if (cls) td.className = cls; td.textContent = text; return td; };
  const row = (cells, attrs) => {
    const tr = document.createElement('tr');
    for (const [k, v] of Object.entries(attrs || {})) tr.setAttribute(k, v);
    tr.append(...cells);
    return tr;
  };
  const head = (names) => row(names.map((n) => { const th = document.createElement('th'); th.textContent = n; return th; }));
  const num = (x, digits) => (x === null || x === undefined ? '—' : Number(x).toPrecision(digits || 6));
  const table = (name, heads, rows) => panel.querySelector('[data-table="' + name + '"]').replaceChildren(head(heads), ...rows);
  function show(s) {
    field('signals-body').hidden = false;
    const total = Object.values(s.totals).reduce((a, b) => a + b, 0);
    field('signals-summary').textContent = total + ' signals · stage p99 µs: detect ' + num(s.stageLatencyUs.detect.p99, 3) +
      ', context ' + num(s.stageLatencyUs.context.p99, 3) + ', assess ' + num(s.stageLatencyUs.assess.p99, 3) + ', execute ' + num(s.stageLatencyUs.execute.p99, 3);
    table('signal-instruments', ['exchange', 'symbol', 'weighted mid', 'microprice', 'imbalance 5', 'VPIN', 'VWAP dev bp', 'risk', 'signals'],
      s.instruments.map((i) => row([
        cell(i.exchange), cell(i.symbol), cell(num(i.weightedMid, 8), 'num'), cell(num(i.microprice, 8), 'num'),
        cell(num(i.imbalance5, 3), 'num'), cell(num(i.vpin, 3), 'num'), cell(num(i.vwapDeviation, 3), 'num'),
        cell(i.riskScore === null ? '—' : String(Math.round(i.riskScore)), 'num'),
        cell(Object.entries(i.signals).map(([k, v]) => k + ' ' + v).join(', ') || '—'),
      ], { 'data-instrument': i.exchange + ':' + i.symbol })));
    field('arbitrage-count').textContent = String(s.arbitrageCount);
    table('arbitrage', ['time (UTC)', 'asset', 'buy', 'sell', 'edge bp', 'size'],
      s.arbitrage.slice(-10).reverse().map((a) => row([
        cell(new Date(a.ts / 1000).toISOString().slice(11, 23)), cell(a.asset), cell(a.buyExchange + ' ' + a.buyPrice),
        cell(a.sellExchange + ' ' + a.sellPrice), cell(num(a.edgeBps, 3), 'num'), cell(num(a.size, 4), 'num'),
      ])));
    table('funding', ['exchange', 'symbol', 'predicted', 'current', 'per day', 'next funding (UTC)', 'cost to hold'],
      s.funding.map((f) => row([
        cell(f.exchange), cell(f.symbol), cell(num(f.predictedRate, 4), 'num'), cell(num(f.currentRate, 4), 'num'),
        cell(num(f.dailyRate, 4), 'num'), cell(f.nextFundingTs === null ? '—' : new Date(f.nextFundingTs / 1000).toISOString().slice(0, 19)),
        cell(num(f.holdingCost, 4) + ' on ' + f.notional, 'num'),
      ], { 'data-funding': f.exchange + ':' + f.symbol })));
  }
  let timer = null;
  let off = null;
  function poll() {
    fetch('/signals', { cache: 'no-store' }).then((r) => {
      if (r.status === 404) {
        off();
        if (timer !== null) { clearInterval(timer); timer = null; }
        return;
      }
      if (!r.ok) throw new Error('status ' + r.status);
      return r.json().then(show);
    }).catch(() => { field('signals-summary').textContent = 'signals unavailable (retrying)'; });
  }
  off = () => {
    field('signals-summary').textContent = 'signals off';
    field('signals-body').hidden = true;
  };
  // /api/state says whether /signals is served, so the page never asks for it in vain.
  fetch('/api/state', { cache: 'no-store' }).then((r) => r.json()).then((state) => {
    if (state.signals !== true) { off(); return; }
    poll();
    timer = setInterval(poll, 1000);
  }).catch(off);
})();
`;
