/** A Bybit v5 stand-in: snapshot on subscribe, deltas every few ms (optionally skipping one id), pongs. */
import { type ServerConnection, startTestServer } from './test-server.ts';

export function bybitServer(state: { u: number; skip: boolean }) {
  const topic = 'orderbook.50.BTCUSDT';
  const subscribed = new Set<ServerConnection>();
  const book = (type: 'snapshot' | 'delta', u: number) =>
    JSON.stringify({
      topic,
      type,
      ts: Date.now(),
      data: {
        s: 'BTCUSDT',
        b: [[`${50000 - (u % 5)}.00`, '1.000']],
        a: [[`${50010 + (u % 5)}.00`, '2.000']],
        u,
        seq: u * 10,
      },
      cts: Date.now(),
    });
  return startTestServer({
    onConnection: (conn) => {
      const t = setInterval(() => {
        if (conn.ws.readyState !== conn.ws.OPEN) return clearInterval(t);
        if (!subscribed.has(conn)) return;
        state.u += state.skip ? 2 : 1;
        state.skip = false;
        conn.ws.send(book('delta', state.u));
      }, 5);
      conn.ws.on('close', () => clearInterval(t));
    },
    onMessage: (conn, text) => {
      const msg = JSON.parse(text) as { op: string; args?: string[] };
      if (msg.op === 'ping') {
        conn.ws.send(JSON.stringify({ success: true, ret_msg: 'pong', conn_id: 'c1', op: 'ping' }));
        return;
      }
      conn.ws.send(JSON.stringify({ success: true, ret_msg: '', conn_id: 'c1', op: msg.op }));
      if (!msg.args?.includes(topic)) return;
      if (msg.op === 'subscribe') {
        subscribed.add(conn);
        state.u++;
        conn.ws.send(book('snapshot', state.u));
      } else subscribed.delete(conn);
    },
  });
}
