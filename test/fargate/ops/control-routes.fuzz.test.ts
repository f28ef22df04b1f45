/**
 * Hostile requests on the ops server with the trading control routes mounted, sent as raw bytes
 * over a socket so that methods, headers and framing are whatever the case says: every answer is a
 * JSON body with a status below 500, a refusal (4xx) changes nothing in the control, no body pollutes
 * Object.prototype, and the server still answers afterwards.
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { controlRoutes } from '../../../fargate/ops/control-routes.ts';
import { LiveMarketState } from '../../../fargate/ops/live-market-state.ts';
import { type OpsServer, startOpsServer } from '../../../fargate/ops/ops-server.ts';
import { FakeTradingControl } from '../../support/fake-trading-control.ts';

const TOKEN = 'admin-token-for-fuzzing-0123456789abcdef';
const MAX_BODY = 64 * 1024;

interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** One request on its own connection (`connection: close`): the whole answer once the server closes. */
function exchange(port: number, request: Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    // A hang is a failure: the server must answer or close.
    socket.setTimeout(5_000, () => {
      socket.destroy();
      reject(new Error('no answer within 5 s'));
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    // The server may close before reading all of a refused body; what it answered still counts.
    socket.on('error', () => {});
    socket.on('close', () => {
      try {
        resolve(parseAnswer(Buffer.concat(chunks).toString('latin1')));
      } catch (error) {
        reject(error);
      }
    });
    socket.end(request);
  });
}

function parseAnswer(whole: string): RawAnswer {
  // `expect: 100-continue` gets an interim answer first; the final one follows it.
  const text = whole.replace(/^(HTTP\/1\.1 1\d\d [^\r]*\r\n\r\n)+/, '');
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) throw new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`);
  const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = text.slice(split + 4);
  if (headers['transfer-encoding'] === 'chunked') body = dechunk(body);
  return { status, headers, body: Buffer.from(body, 'latin1').toString('utf8') };
}

function dechunk(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const eol = text.indexOf('\r\n', at);
    const size = Number.parseInt(text.slice(at, eol), 16);
    if (!(size > 0)) return out;
    out += text.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

interface RequestCase {
  readonly method: string;
  readonly path: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
  readonly chunked: boolean;
}

function requestBytes(c: RequestCase): Buffer {
  const body = Buffer.from(c.body, 'utf8');
  const head = [`${c.method} ${c.path} HTTP/1.1`, 'host: 127.0.0.1', 'connection: close'];
  for (const [k, v] of c.headers) head.push(`${k}: ${v}`);
  if (c.chunked) head.push('transfer-encoding: chunked');
  else head.push(`content-length: ${body.length}`);
  const framed = c.chunked
    ? Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')])
    : body;
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), framed]);
}

const validRisk = (control: FakeTradingControl) => JSON.parse(JSON.stringify(control.risk)) as object;

/** Bodies a hostile or broken client sends: text, JSON of every shape, pollution keys, depth, size. */
const bodyArb = (riskTemplate: object): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant(''),
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.json({ maxDepth: 4 }),
    fc.constantFrom(
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '{"__proto__":{"polluted":true},"spreadBps":3}',
      '{"spreadBps":1e400}',
      '{"spreadBps":-0}',
      '{"size":"1e5"}',
      '{"reason":{"toString":"x"}}',
      'null',
      '[]',
      '"text"',
      '\ufeff{}',
    ),
    // The real risk limits with one field replaced or added.
    fc
      .tuple(
        fc.constantFrom(...Object.keys(riskTemplate), '__proto__', 'extra'),
        fc.jsonValue({ maxDepth: 3 }),
      )
      .map(([key, value]) => {
        const template = JSON.stringify(riskTemplate);
        return `${template.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(value)}}`;
      }),
    // Deep nesting, inside the size bound.
    fc
      .tuple(fc.integer({ min: 1_000, max: 12_000 }), fc.constantFrom('[', '{"a":'))
      .map(([depth, open]) => open.repeat(depth) + (open === '[' ? ']' : '}').repeat(depth)),
    // Over the size bound.
    fc.integer({ min: MAX_BODY + 1, max: MAX_BODY + 4096 }).map((n) => `{"reason":"${'x'.repeat(n)}"}`),
  );

const methodArb = fc.oneof(
  fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
  fc.constantFrom('put', 'Post', 'PROPFIND', 'TOSTRING', 'CONSTRUCTOR', '__PROTO__', 'X-Y', 'G ET', 'GET\t'),
);

const pathArb = fc.oneof(
  fc.constantFrom('/kill', '/status', '/reset', '/risk/params', '/strategy/params'),
  fc.constantFrom(
    '/kill/',
    '/KILL',
    '/__proto__',
    '/constructor',
    '/risk/params?x=1',
    '/risk/%2e%2e/params',
    '//kill',
    '//',
    'http://[',
    '*',
    'http://evil/kill',
  ),
  fc.webPath(),
);

const authArb = fc.oneof(
  fc.constant(undefined),
  fc.constant(`Bearer ${TOKEN}`),
  fc.constantFrom(
    `bearer ${TOKEN}`,
    `Bearer  ${TOKEN} `,
    `Bearer ${TOKEN}x`,
    'Bearer',
    'Basic Zm9vOmJhcg==',
    '',
  ),
  fc.string({ maxLength: 80 }).map((s) => `Bearer ${s}`),
);

const contentTypeArb = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'APPLICATION/JSON',
    'application/jsonx',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
  ),
  fc.string({ maxLength: 40 }),
);

/** A header value as it goes on the wire: arbitrary text, CR/LF included, sent as latin1 bytes. */
const extraHeaderArb = fc.array(
  fc.tuple(
    fc.constantFrom('x-fuzz', 'content-type', 'authorization', 'expect', 'x-forwarded-for', 'cookie'),
    fc.string({ maxLength: 40 }),
  ),
  { maxLength: 3 },
);

describe('control routes under hostile requests', () => {
  let server: OpsServer;
  let port: number;
  let control: FakeTradingControl;

  beforeAll(async () => {
    server = await startOpsServer({ state: new LiveMarketState({ now: () => 0 }), port: 0 });
    port = Number(new URL(server.url).port);
  });
  beforeEach(() => {
    control = new FakeTradingControl(TOKEN);
    server.mount(controlRoutes(control, { adminToken: TOKEN }));
  });
  afterAll(async () => {
    await server.close();
  });

  const controlState = () =>
    JSON.stringify({
      state: control.state,
      reason: control.reason,
      risk: control.risk,
      strategy: control.strategy,
      orders: control.orders,
      kills: control.kills,
    });

  it('every answer is JSON below 500; a refusal changes nothing; nothing is polluted', async () => {
    const template = validRisk(control);
    const caseArb: fc.Arbitrary<RequestCase> = fc.record({
      method: methodArb,
      path: pathArb,
      headers: fc
        .tuple(authArb, contentTypeArb, extraHeaderArb)
        .map(([auth, type, extra]) => [
          ...(auth === undefined ? [] : [['authorization', auth] as const]),
          ...(type === undefined ? [] : [['content-type', type] as const]),
          ...extra,
        ]),
      body: bodyArb(template),
      chunked: fc.boolean(),
    });
    let refusals = 0;
    let parserRefusals = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const before = controlState();
        const answer = await exchange(port, requestBytes(c));
        expect(answer.status, `${c.method} ${c.path}`).toBeGreaterThanOrEqual(200);
        expect(answer.status, `${c.method} ${c.path}: ${answer.body.slice(0, 200)}`).toBeLessThan(500);
        expect(answer.headers['content-type']).toBe('application/json');
        if (c.method !== 'HEAD') {
          const body = JSON.parse(answer.body) as Record<string, unknown>;
          if (answer.status >= 400) {
            refusals++;
            if (answer.body.includes('malformed HTTP request')) parserRefusals++;
            expect(typeof body.error === 'string' || Array.isArray(body.problems)).toBe(true);
          }
          expect(answer.body).not.toContain(TOKEN);
        }
        if (answer.status >= 400) expect(controlState()).toBe(before);
        expect(Object.prototype).not.toHaveProperty('polluted');
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { seed: 20261207, numRuns: 300 },
    );
    // The arbitraries do reach refusals of every layer: the routes' and Node's parser.
    expect(refusals).toBeGreaterThan(100);
    expect(parserRefusals).toBeGreaterThan(0);

    const status = await exchange(
      port,
      requestBytes({ method: 'GET', path: '/status', headers: [], body: '', chunked: false }),
    );
    expect(status.status).toBe(200);
  }, 60_000);

  it('raw garbage in the request line and headers gets a JSON 400, and the server keeps serving', async () => {
    const garbageArb = fc.tuple(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 120 }),
    );
    await fc.assert(
      fc.asyncProperty(garbageArb, async ([line, header]) => {
        const raw = Buffer.from(
          `\u0001${line} HTTP/1.1\r\nx: ${header}\r\nconnection: close\r\n\r\n`,
          'utf8',
        );
        const answer = await exchange(port, raw);
        expect(answer.status).toBe(400);
        expect(JSON.parse(answer.body)).toEqual({ error: 'malformed HTTP request' });
      }),
      { seed: 20261208, numRuns: 100 },
    );
    const status = await exchange(
      port,
      requestBytes({ method: 'GET', path: '/status', headers: [], body: '', chunked: false }),
    );
    expect(status.status).toBe(200);
    expect(control.state).toBe('ACTIVE');
  }, 30_000);

  it('a valid PUT still applies after the fuzzing (the control is not wedged)', async () => {
    const answer = await exchange(
      port,
      requestBytes({
        method: 'PUT',
        path: '/strategy/params',
        headers: [
          ['authorization', `Bearer ${TOKEN}`],
          ['content-type', 'application/json'],
        ],
        body: '{"spreadBps":7}',
        chunked: false,
      }),
    );
    expect(answer.status).toBe(200);
    expect(control.strategy.spreadBps).toBe(7);
  });
});
