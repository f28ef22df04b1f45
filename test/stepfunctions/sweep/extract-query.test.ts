import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXCHANGES } from '../../../core/market/exchange.ts';
import { openDuckDb, sqlIdent } from '../../../local/storage/duckdb.ts';
import {
  EXTRACT_PARTITIONS,
  extractQuery,
  extractSelect,
  parseExtractQuery,
} from '../../../stepfunctions/sweep/extract-query.ts';
import { parseSweepInput } from '../../../stepfunctions/sweep/sweep-input.ts';

const DAY_MS = 86_400_000;
const START = Date.UTC(2024, 0, 1);

/** Any ISO instant from 2024 to 2027 (seconds, UTC). */
const instant = fc.integer({ min: 0, max: 4 * 365 * 86_400 }).map((s) => START + s * 1000);

const input = fc
  .record({
    from: instant,
    span: fc.integer({ min: 1, max: 10 * DAY_MS }),
    exchanges: fc.option(fc.uniqueArray(fc.constantFrom(...EXCHANGES), { minLength: 1 }), { nil: undefined }),
  })
  .map(({ from, span, exchanges }) =>
    parseSweepInput({
      strategy: 'market-maker',
      data: {
        from: new Date(from).toISOString(),
        to: new Date(from + span).toISOString(),
        ...(exchanges ? { exchanges } : {}),
      },
      grid: { spread_bps: [2] },
    }),
  );

/** A Glue-ish database name, or anything at all: the query builder must quote whatever it is given. */
const database = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/),
  fc.string({ minLength: 1, maxLength: 30 }),
);
const location = fc
  .tuple(fc.stringMatching(/^[a-z0-9][a-z0-9.-]{2,20}$/), fc.stringMatching(/^[A-Za-z0-9_=-]{1,12}$/))
  .map(([bucket, prefix]) => `s3://${bucket}/${prefix}/`);

describe('extractQuery', () => {
  it('round-trips: the parsed UNLOAD gives back the SELECT, the location and the partitions', () => {
    fc.assert(
      fc.property(input, database, location, (i, db, loc) => {
        const parsed = parseExtractQuery(extractQuery(i, { database: db, location: loc }));
        expect(parsed.select).toBe(extractSelect(i, db));
        expect(parsed.location).toBe(loc);
        expect(parsed.partitions).toEqual([...EXTRACT_PARTITIONS]);
        // The database appears only as one quoted identifier.
        expect(parsed.select).toContain(` FROM ${sqlIdent(db)}."raw"`);
      }),
    );
  });

  it("quotes the days of the range as literals: from's day on, up to the day before `to`", () => {
    fc.assert(
      fc.property(input, (i) => {
        const select = extractSelect(i, 'lake');
        const from = Date.parse(i.data.from!);
        const to = Date.parse(i.data.to!);
        expect(select).toContain(`"date" >= '${new Date(from).toISOString().slice(0, 10)}'`);
        expect(select).toContain(`"date" <= '${new Date(to - 1).toISOString().slice(0, 10)}'`);
        expect(select).toContain(`"local_ts" < ${to * 1000}`);
        // Every literal is a bare date or venue: nothing that could close a quote early.
        for (const literal of select.match(/'[^']*'/g) ?? [])
          expect(literal).toMatch(/^'(\d{4}-\d{2}-\d{2}|[a-z-]+)'$/);
      }),
    );
  });

  it('refuses a location that could break out of its string literal', () => {
    const i = fc.sample(input, 1)[0]!;
    for (const bad of ["s3://b/x'); DROP TABLE raw; --/", 's3://b/x', 'https://b/x/', "s3://b/it's/"])
      expect(() => extractQuery(i, { database: 'lake', location: bad }), bad).toThrow(/not an s3:\/\/bucket/);
    expect(() => parseExtractQuery('SELECT 1; DROP TABLE raw')).toThrow(/not a query built by extractQuery/);
  });

  it('refuses symbols and venues that are not names before any query is built', () => {
    const base = { strategy: 'market-maker', grid: { spread_bps: [2] } };
    for (const symbols of [["BTC'USDT"], ['BTC;DROP'], ['BTC USDT'], ['"x"'], ['']])
      expect(() => parseSweepInput({ ...base, data: { symbols } }), symbols[0]).toThrow(/data\.symbols\.0/);
    expect(() => parseSweepInput({ ...base, data: { exchanges: ["binance' OR '1'='1"] } })).toThrow(
      /data\.exchanges\.0/,
    );
    expect(() => parseSweepInput({ ...base, data: { from: "2024-01-01' OR 1=1 --" } })).toThrow(/data\.from/);
  });

  it('runs in DuckDB as built, whatever the database is called', async () => {
    const db = await openDuckDb(':memory:', 1);
    try {
      const name = 'lake"; DROP TABLE x; --';
      await db.connection.run(`CREATE SCHEMA ${sqlIdent(name)}`);
      const select = extractSelect(fc.sample(input, 1)[0]!, name);
      const columns = select
        .slice('SELECT '.length, select.indexOf(' FROM '))
        .split(', ')
        .map((c) => `${c} ${/local_ts|exchange_ts/.test(c) ? 'BIGINT' : 'VARCHAR'}`);
      await db.connection.run(`CREATE TABLE ${sqlIdent(name)}."raw" (${columns.join(', ')})`);
      for (const i of fc.sample(input, 20)) {
        const rows = await db.connection.runAndReadAll(extractSelect(i, name));
        expect(rows.getRows()).toEqual([]);
      }
    } finally {
      db.close();
    }
  });
});
