import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseKeeper } from '../../../fargate/lease/lease-keeper.ts';
import { TradingLease } from '../../../fargate/lease/trading-lease.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let server: Server;
let client: DynamoDBDocumentClient;
let table = 0;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const raw = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  client = DynamoDBDocumentClient.from(raw);
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function freshTable(): Promise<string> {
  const name = `lease-${table++}`;
  await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return name;
}

describe('TradingLease', () => {
  it('lets one task hold it; a second is refused while it lives, and told who holds it', async () => {
    const name = await freshTable();
    let now = 1_000_000;
    const a = new TradingLease({ client, table: name, owner: 'task-a', ttlMs: 30_000, now: () => now });
    const b = new TradingLease({ client, table: name, owner: 'task-b', ttlMs: 30_000, now: () => now });
    const first = await a.acquire();
    expect(first).toEqual({ acquired: true, lease: { owner: 'task-a', epoch: 1, expiresAt: 1_030_000 } });
    const second = await b.acquire();
    expect(second).toEqual({ acquired: false, heldBy: { owner: 'task-a', epoch: 1, expiresAt: 1_030_000 } });
    now += 20_000;
    expect(await a.renew()).toBe(true);
    now += 20_000; // past the first expiry, inside the renewed one
    expect((await b.acquire()).acquired).toBe(false);
    expect(a.current()?.expiresAt).toBe(1_050_000);
  });

  it('passes to another task after expiry with a new epoch; the old holder cannot renew it', async () => {
    const name = await freshTable();
    let now = 0;
    const a = new TradingLease({ client, table: name, owner: 'task-a', ttlMs: 10_000, now: () => now });
    const b = new TradingLease({ client, table: name, owner: 'task-b', ttlMs: 10_000, now: () => now });
    await a.acquire();
    now = 10_000; // a stalled past its expiry
    const taken = await b.acquire();
    expect(taken).toMatchObject({ acquired: true, lease: { owner: 'task-b', epoch: 2 } });
    expect(await a.renew()).toBe(false);
    expect(a.current()).toBeUndefined();
    expect(await b.read()).toMatchObject({ owner: 'task-b', epoch: 2 });
  });

  it('release frees it at once for the next task', async () => {
    const name = await freshTable();
    const a = new TradingLease({ client, table: name, owner: 'task-a', ttlMs: 60_000 });
    const b = new TradingLease({ client, table: name, owner: 'task-b', ttlMs: 60_000 });
    await a.acquire();
    await a.release();
    expect(await b.acquire()).toMatchObject({ acquired: true, lease: { epoch: 2 } });
  });
});

describe('LeaseKeeper', () => {
  it('calls onLost once when a renewal is refused', async () => {
    const name = await freshTable();
    let now = 0;
    const a = new TradingLease({ client, table: name, owner: 'task-a', ttlMs: 10_000, now: () => now });
    const b = new TradingLease({ client, table: name, owner: 'task-b', ttlMs: 10_000, now: () => now });
    await a.acquire();
    const lost: string[] = [];
    const keeper = new LeaseKeeper({ lease: a, onLost: (why) => lost.push(why), every: () => () => {} });
    keeper.start();
    await keeper.tick();
    expect(lost).toEqual([]);
    now = 25_000;
    await b.acquire();
    await keeper.tick();
    await keeper.tick();
    expect(lost).toEqual(['lease taken by another task']);
  });
});
