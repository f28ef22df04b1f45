/**
 * The local dashboard: one self-contained page (inline CSS and JS, no network beyond this server)
 * fed by Server-Sent Events from `/events` (fargate/ops/ops-server.ts). Per venue: connection
 * state, message rate, latency, sequence health, every book's top of book with trust and quality,
 * and the latest trades.
 */
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
</style>
</head>
<body>
<header>
  <h1>tradeplane</h1><span class="sub">live market data — books, trades, quality</span>
  <span id="status">connecting…</span>
</header>
<main id="venues"><div class="empty">Waiting for data…</div></main>
<script>
(() => {
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
  const status = document.getElementById('status');
  function connect() {
    const source = new EventSource('/events');
    source.onopen = () => { status.textContent = 'live'; status.className = 'live'; };
    source.onmessage = (m) => { status.textContent = 'live · ' + new Date().toISOString().slice(11, 19) + ' UTC'; render(JSON.parse(m.data)); };
    source.onerror = () => { status.textContent = 'reconnecting…'; status.className = ''; };
  }
  fetch('/api/state').then((r) => r.json()).then(render).catch(() => {});
  connect();
})();
</script>
</body>
</html>
`;
