/**
 * The local dashboard: one page (inline CSS and JS, plus the ECharts browser build served by the
 * same server at ECHARTS_SCRIPT_PATH, echarts-browser-build.ts; no network beyond this server) fed
 * by Server-Sent Events from `/events` (fargate/ops/ops-server.ts). Per venue: connection state,
 * message rate, latency, sequence health, every book's top of book with trust and quality, and the
 * latest trades; above them an ECharts line chart of every venue's message rate over the last
 * 5 minutes of pushes, kept in the page.
 *
 * The trading panel (when the state says `trading: true`, i.e. the control routes of
 * fargate/ops/control-routes.ts are mounted) polls `GET /status` every second: trading state with
 * a Kill button (`POST /kill`, no token, no confirmation: stopping must take one click) and a
 * Reset button (asks for the admin token and sends it as a Bearer token; the page keeps it
 * nowhere), positions, open orders, recent fills, risk denials by reason and an ECharts PnL chart
 * (net, realized and unrealized) over a rolling window of the last 300 polls, kept in the page.
 * Without trading (or on a 404 from /status) it says "trading off" and shows no controls.
 *
 * Both charts go through liveLineChart (live-line-chart.ts); dashboardRoutes (dashboard-routes.ts)
 * serves the page and the ECharts file.
 *
 * The signals panel (signals-panel.ts) polls `GET /signals` the same way: signals per venue,
 * arbitrage opportunities and funding; "signals off" where `/api/state` does not say `signals: true`.
 */
import { ECHARTS_SCRIPT_PATH } from './echarts-browser-build.ts';
import { LIVE_LINE_CHART_SCRIPT } from './live-line-chart.ts';
import { SIGNALS_PANEL_HTML, SIGNALS_PANEL_SCRIPT, SIGNALS_PANEL_STYLE } from './signals-panel.ts';

export const DASHBOARD_HTML = /* html */ `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>tradeplane — live market data</title>
<style>
  :root { --bg:#0f1419; --panel:#161d26; --line:#243041; --text:#d8e1ea; --muted:#8193a8; --bid:#2ecc71; --ask:#ff5c5c; --warn:#f5a623; --ok:#2ecc71; }
  * { box-sizing: border-box; }
  [hidden] { display:none !important; }
  body { margin:0; font:14px/1.4 system-ui, -apple-system, Segoe UI, Roboto, sans-serif; background:var(--bg); color:var(--text); }
  header { display:flex; align-items:baseline; gap:16px; padding:14px 20px; border-bottom:1px solid var(--line); }
  header h1 { font-size:18px; margin:0; font-weight:600; }
  header .sub { color:var(--muted); }
  #status { margin-left:auto; color:var(--muted); }
  #status.live::before { content:'●'; color:var(--ok); margin-right:6px; }
  main { display:grid; grid-template-columns:repeat(auto-fill, minmax(540px, 1fr)); gap:14px; padding:14px 20px; }
  .venue { background:var(--panel); border:1px solid var(--line); border-radius:8px; padding:12px 14px; }
  .venue h2 { margin:0 0 8px; font-size:16px; display:flex; align-items:center; gap:10px; }
  .badge { font-size:12px; padding:2px 8px; border-radius:10px; background:#223; color:var(--muted); font-weight:500; }
  .badge.connected, .badge.trusted { background:rgba(46,204,113,.15); color:var(--ok); }
  .badge.reconnecting, .badge.resyncing, .badge.awaiting_snapshot { background:rgba(245,166,35,.15); color:var(--warn); }
  .badge.disconnected, .badge.stale { background:rgba(255,92,92,.15); color:var(--ask); }
  .stats { display:grid; grid-template-columns:repeat(4, 1fr); gap:6px; margin-bottom:10px; }
  .stat { background:#111820; border-radius:6px; padding:6px 8px; }
  .stat .k { color:var(--muted); font-size:11px; text-transform:uppercase; letter-spacing:.04em; }
  .stat .v { font-variant-numeric:tabular-nums; font-size:15px; }
  table { width:100%; border-collapse:collapse; font-variant-numeric:tabular-nums; }
  th { text-align:left; color:var(--muted); font-weight:500; font-size:12px; border-bottom:1px solid var(--line); padding:3px 4px; }
  td { padding:3px 4px; border-bottom:1px solid #1b2430; white-space:nowrap; }
  td.num { text-align:right; }
  .bid { color:var(--bid); } .ask { color:var(--ask); } .buy { color:var(--bid); } .sell { color:var(--ask); }
  .q { display:inline-block; min-width:34px; text-align:right; }
  .q.low { color:var(--ask); } .q.mid { color:var(--warn); } .q.high { color:var(--ok); }
  h3 { font-size:12px; color:var(--muted); font-weight:500; margin:10px 0 4px; text-transform:uppercase; letter-spacing:.04em; }
  .empty { color:var(--muted); padding:40px; text-align:center; }
  .trading { margin:14px 20px 0; background:var(--panel); border:1px solid var(--line); border-radius:8px; padding:12px 14px; }
  .trading-head { display:flex; align-items:center; gap:12px; flex-wrap:wrap; }
  .trading-head h2 { margin:0; font-size:16px; }
  .badge.ACTIVE { background:rgba(46,204,113,.15); color:var(--ok); }
  .badge.REDUCING { background:rgba(245,166,35,.15); color:var(--warn); }
  .badge.HALTED { background:rgba(255,92,92,.2); color:var(--ask); font-weight:700; }
  .trading-head .reason { color:var(--muted); }
  .controls { margin-left:auto; display:flex; gap:10px; }
  button { font:inherit; border-radius:6px; border:1px solid var(--line); background:#1d2734; color:var(--text); padding:6px 14px; cursor:pointer; }
  button.kill { background:#c0392b; border-color:#e74c3c; color:#fff; font-weight:700; font-size:18px; padding:10px 28px; letter-spacing:.08em; }
  button:disabled { opacity:.5; cursor:default; }
  #control-message { color:var(--muted); min-height:1.4em; margin:6px 0; }
  #control-message.error { color:var(--ask); }
  .trading-grid { display:grid; grid-template-columns:repeat(auto-fill, minmax(440px, 1fr)); gap:6px 20px; }
  .chart { width:100%; height:180px; background:#111820; border-radius:6px; }
  .rates { margin:14px 20px 0; background:var(--panel); border:1px solid var(--line); border-radius:8px; padding:12px 14px; }
  .rates h2 { margin:0 0 6px; font-size:16px; display:flex; gap:12px; align-items:baseline; }
  .rates .sub { color:var(--muted); font-weight:400; font-size:13px; }
${SIGNALS_PANEL_STYLE}</style>
</head>
<body>
<header>
  <h1>tradeplane</h1><span class="sub">live market data — books, trades, quality</span>
  <span id="status">connecting…</span>
</header>
<section id="trading" class="trading" aria-label="trading">
  <div class="trading-head">
    <h2>trading</h2>
    <span class="badge" data-field="trading-state">…</span>
    <span class="reason" data-field="trading-reason"></span>
    <span class="sub" data-field="trading-off" hidden>trading off</span>
    <div class="controls" data-field="controls" hidden>
      <button type="button" class="reset" data-action="reset">Reset…</button>
      <button type="button" class="kill" data-action="kill">KILL</button>
    </div>
  </div>
  <div id="control-message" data-field="control-message"></div>
  <div data-field="trading-body" hidden>
    <div class="stats">
      <div class="stat"><div class="k">open orders</div><div class="v" data-field="open-orders">—</div></div>
      <div class="stat"><div class="k">PnL (realized + unrealized − fees)</div><div class="v" data-field="pnl">—</div></div>
      <div class="stat"><div class="k">realized / unrealized / fees</div><div class="v" data-field="pnl-parts">—</div></div>
      <div class="stat"><div class="k">strategy</div><div class="v" data-field="strategy">—</div></div>
    </div>
    <h3>PnL over time <span data-field="pnl-range"></span></h3>
    <div class="chart" data-field="pnl-chart" data-points="0" role="img" aria-label="PnL over time"></div>
    <div class="trading-grid">
      <div><h3>positions</h3><table data-table="positions"></table></div>
      <div><h3>open orders</h3><table data-table="orders"></table></div>
      <div><h3>recent fills</h3><table data-table="fills"></table></div>
      <div><h3>risk denials by reason</h3><table data-table="denials"></table></div>
    </div>
  </div>
</section>
${SIGNALS_PANEL_HTML}
<section id="rates" class="rates" aria-label="message rates">
  <h2>message rates <span class="sub">msg/s per venue, last 5 minutes</span></h2>
  <div class="chart" data-field="rate-chart" data-points="0" role="img" aria-label="message rate per venue over time"></div>
</section>
<main id="venues"><div class="empty">Waiting for data…</div></main>
<script src="${ECHARTS_SCRIPT_PATH}"></script>
<script>
(() => {
${LIVE_LINE_CHART_SCRIPT}
  const el = (tag, attrs = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  };
  const fmt = (n, d = 0) => (n === null || n === undefined ? '—' : Number(n).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
  const time = (us) => (us ? new Date(us / 1000).toISOString().slice(11, 23) : '—');
  const qClass = (q) => (q === null ? '' : q >= 90 ? 'high' : q >= 60 ? 'mid' : 'low');
  function render(state) {
    const root = document.getElementById('venues');
    if (!state.venues.length) return;
    root.replaceChildren(...state.venues.map((v) => {
      const card = el('section', { class: 'venue', 'data-venue': v.exchange });
      card.append(el('h2', {}, v.exchange, el('span', { class: 'badge ' + v.connection, 'data-field': 'connection' }, v.connection)));
      const stats = el('div', { class: 'stats' });
      const stat = (k, val, field) => stats.append(el('div', { class: 'stat' }, el('div', { class: 'k' }, k), el('div', { class: 'v', 'data-field': field }, val)));
      stat('msg/s', fmt(v.messageRate, 1), 'rate');
      stat('latency p50 / p99', v.latencyP50Ms === null ? '—' : fmt(v.latencyP50Ms, 2) + ' / ' + fmt(v.latencyP99Ms, 2) + ' ms', 'latency');
      stat('gaps / resyncs', v.gaps + ' / ' + v.resyncs, 'gaps');
      stat('messages', fmt(v.messages), 'messages');
      card.append(stats);
      const books = el('table', { 'data-table': 'books' });
      books.append(el('tr', {}, ...['symbol', 'state', 'bid size', 'bid', 'ask', 'ask size', 'spread bp', 'quality'].map((h) => el('th', {}, h))));
      for (const b of v.books) {
        books.append(el('tr', { 'data-symbol': b.symbol },
          el('td', {}, b.symbol), el('td', {}, el('span', { class: 'badge ' + b.trust }, b.trust)),
          el('td', { class: 'num' }, b.bidSize ?? '—'), el('td', { class: 'num bid' }, b.bestBid ?? '—'),
          el('td', { class: 'num ask' }, b.bestAsk ?? '—'), el('td', { class: 'num' }, b.askSize ?? '—'),
          el('td', { class: 'num' }, fmt(b.spreadBps, 2)), el('td', { class: 'num' }, el('span', { class: 'q ' + qClass(b.quality) }, fmt(b.quality)))));
      }
      card.append(el('h3', {}, 'order books'), books);
      const trades = el('table', { 'data-table': 'trades' });
      trades.append(el('tr', {}, ...['time (UTC)', 'symbol', 'side', 'price', 'size'].map((h) => el('th', {}, h))));
      for (const t of v.trades.slice(0, 8)) {
        trades.append(el('tr', {}, el('td', {}, time(t.ts)), el('td', {}, t.symbol), el('td', { class: t.side }, t.side), el('td', { class: 'num' }, t.price), el('td', { class: 'num' }, t.size)));
      }
      card.append(el('h3', {}, 'recent trades'), trades);
      return card;
    }));
  }
  const trading = (() => {
    const panel = document.getElementById('trading');
    const field = (name) => panel.querySelector('[data-field="' + name + '"]');
    const message = field('control-message');
    const killButton = panel.querySelector('[data-action="kill"]');
    const resetButton = panel.querySelector('[data-action="reset"]');
    const UNAVAILABLE = 'trading status unavailable (retrying)';
    const WINDOW = 300; // polls kept for the chart: 5 minutes at one a second
    const history = [];
    let timer = null;
    let on = null;
    const money = (m) => fmtMoney(m.amount) + ' ' + m.currency;
    const fmtMoney = (n) => Number(n).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 8 });
    const say = (text, isError) => { message.textContent = text; message.className = isError ? 'error' : ''; };
    const table = (name, heads, rows) => {
      panel.querySelector('[data-table="' + name + '"]').replaceChildren(el('tr', {}, ...heads.map((h) => el('th', {}, h))), ...rows);
    };
    function off() {
      on = false;
      if (timer !== null) { clearInterval(timer); timer = null; }
      field('trading-off').hidden = false;
      field('controls').hidden = true;
      field('trading-body').hidden = true;
      field('trading-state').textContent = 'off';
      field('trading-state').className = 'badge';
      field('trading-reason').textContent = '';
    }
    function start() {
      if (on === true) return;
      on = true;
      field('trading-off').hidden = true;
      poll();
      timer = setInterval(poll, 1000);
    }
    function pnlTotal(p) {
      // Fees in another currency than the realized PnL stay out of the total (shown beside it).
      const c = p.realized.currency;
      return p.realized.amount + (p.unrealized.currency === c ? p.unrealized.amount : 0) - (p.fees.currency === c ? p.fees.amount : 0);
    }
    const pnlChart = liveLineChart(field('pnl-chart'), { yName: 'PnL', digits: 8 });
    function drawChart() {
      const values = history.map((h) => h.net);
      const min = Math.min(0, ...values), max = Math.max(0, ...values);
      const n = history.length;
      pnlChart.draw([
        { name: 'net', color: '#2ecc71', width: 2, zeroLine: true, data: history.map((h) => [h.t, h.net]) },
        { name: 'realized', color: '#4aa3ff', data: history.map((h) => [h.t, h.realized]) },
        { name: 'unrealized', color: '#f5a623', data: history.map((h) => [h.t, h.unrealized]) },
      ]);
      field('pnl-chart').setAttribute('data-points', String(n));
      const seconds = n > 1 ? Math.round((history[n - 1].t - history[0].t) / 1000) : 0;
      field('pnl-range').textContent = '(last ' + seconds + ' s: ' + fmtMoney(min) + ' … ' + fmtMoney(max) + ')';
    }
    function show(s) {
      field('controls').hidden = false;
      field('trading-body').hidden = false;
      const badge = field('trading-state');
      badge.textContent = s.tradingState;
      badge.className = 'badge ' + s.tradingState;
      field('trading-reason').textContent = s.reason;
      resetButton.disabled = s.tradingState !== 'HALTED';
      field('open-orders').textContent = String(s.openOrders);
      const total = pnlTotal(s.pnl);
      field('pnl').textContent = fmtMoney(total) + ' ' + s.pnl.realized.currency;
      field('pnl-parts').textContent = money(s.pnl.realized) + ' / ' + money(s.pnl.unrealized) + ' / ' + money(s.pnl.fees);
      field('strategy').textContent = s.strategy.name;
      const c = s.pnl.realized.currency;
      history.push({ t: Date.now(), net: total, realized: s.pnl.realized.amount, unrealized: s.pnl.unrealized.currency === c ? s.pnl.unrealized.amount : null });
      if (history.length > WINDOW) history.splice(0, history.length - WINDOW);
      drawChart();
      table('positions', ['exchange', 'symbol', 'size', 'avg entry', 'realized', 'unrealized', 'fees'],
        s.positions.map((p) => el('tr', {}, el('td', {}, p.exchange), el('td', {}, p.symbol), el('td', { class: 'num' }, p.size),
          el('td', { class: 'num' }, p.avgEntry ?? '—'), el('td', { class: 'num' }, money(p.realized)),
          el('td', { class: 'num' }, money(p.unrealized)), el('td', { class: 'num' }, money(p.fees)))));
      table('orders', ['client id', 'exchange', 'symbol', 'side', 'type', 'price', 'size', 'filled', 'status'],
        s.orders.map((o) => el('tr', { 'data-order': o.clientOrderId }, el('td', {}, o.clientOrderId), el('td', {}, o.exchange),
          el('td', {}, o.symbol), el('td', { class: o.side }, o.side), el('td', {}, o.type), el('td', { class: 'num' }, o.price ?? 'market'),
          el('td', { class: 'num' }, o.size), el('td', { class: 'num' }, o.filled), el('td', {}, o.status))));
      table('fills', ['time (UTC)', 'exchange', 'symbol', 'side', 'price', 'size', 'fee', 'maker'],
        s.recentFills.slice(-10).reverse().map((f) => el('tr', {}, el('td', {}, String(f.at).slice(11, 23)), el('td', {}, f.exchange),
          el('td', {}, f.symbol), el('td', { class: f.side }, f.side), el('td', { class: 'num' }, f.price), el('td', { class: 'num' }, f.size),
          el('td', { class: 'num' }, money(f.fee)), el('td', {}, f.maker ? 'maker' : 'taker'))));
      const denials = Object.entries(s.denials).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
      table('denials', ['reason', 'orders refused'],
        denials.map(([reason, n]) => el('tr', { 'data-reason': reason }, el('td', {}, reason), el('td', { class: 'num' }, fmt(n)))));
    }
    function poll() {
      return fetch('/status', { cache: 'no-store' }).then((r) => {
        if (r.status === 404) { off(); return; }
        if (!r.ok) throw new Error('status ' + r.status);
        return r.json().then((s) => {
          if (message.textContent === UNAVAILABLE) say('');
          if (on) show(s);
        });
      }).catch(() => say(UNAVAILABLE, true));
    }
    const answer = (r) => r.json().catch(() => ({})).then((body) => ({ status: r.status, body }));
    killButton.addEventListener('click', () => {
      killButton.disabled = true;
      say('killing: halting and cancelling every open order…');
      fetch('/kill', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'dashboard kill button' }) })
        .then(answer)
        .then(({ status, body }) => {
          if (status === 200) say('killed at ' + body.at + ': ' + body.cancelled + ' orders cancelled in ' + body.cancelLatencyMs + ' ms');
          else say('kill answered ' + status + ': ' + (body.error || ''), true);
        })
        .catch(() => say('kill request failed — try again', true))
        .then(poll)
        .finally(() => { killButton.disabled = false; });
    });
    resetButton.addEventListener('click', () => {
      const token = window.prompt('Admin token (resets trading to ACTIVE):');
      if (!token) return;
      fetch('/reset', { method: 'POST', headers: { authorization: 'Bearer ' + token } })
        .then(answer)
        .then(({ status, body }) => {
          if (status === 200) say('reset: ' + (body.detail || 'done'));
          else say('reset refused (' + status + '): ' + (body.error || (body.problems || []).join('; ')), true);
        })
        .catch(() => say('reset request failed', true))
        .then(poll);
    });
    return {
      onState(state) {
        if (state.trading === false) { if (on !== false) off(); }
        else start();
      },
    };
  })();
  const rates = (() => {
    const chartEl = document.querySelector('#rates [data-field="rate-chart"]');
    const chart = liveLineChart(chartEl, { yName: 'msg/s', digits: 1 });
    const WINDOW = 600; // pushes kept: 5 minutes at two a second
    const samples = [];
    return {
      onState(state) {
        if (!state.venues.length) return;
        const rate = {};
        for (const v of state.venues) rate[v.exchange] = v.messageRate;
        samples.push({ t: Date.now(), rate });
        if (samples.length > WINDOW) samples.splice(0, samples.length - WINDOW);
        const names = [...new Set(samples.flatMap((s) => Object.keys(s.rate)))].sort();
        chart.draw(names.map((name) => ({ name, data: samples.map((s) => [s.t, s.rate[name] ?? null]) })));
        chartEl.setAttribute('data-points', String(samples.length));
      },
    };
  })();
  const onState = (state) => { render(state); rates.onState(state); trading.onState(state); };
  const status = document.getElementById('status');
  function connect() {
    const source = new EventSource('/events');
    source.onopen = () => { status.textContent = 'live'; status.className = 'live'; };
    source.onmessage = (m) => { status.textContent = 'live · ' + new Date().toISOString().slice(11, 19) + ' UTC'; onState(JSON.parse(m.data)); };
    source.onerror = () => { status.textContent = 'reconnecting…'; status.className = ''; };
  }
  fetch('/api/state').then((r) => r.json()).then(onState).catch(() => {});
  connect();
})();
</script>
<script>${SIGNALS_PANEL_SCRIPT}</script>
</body>
</html>
`;
