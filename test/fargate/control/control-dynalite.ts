/** dynalite on loopback for the control tests, and a fresh control table (`pk`) per test. */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { ControlTable } from '../../../fargate/control/control-table.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export interface ControlDynalite {
  readonly endpoint: string;
  readonly client: DynamoDBDocumentClient;
  freshTable(): Promise<ControlTable>;
  close(): Promise<void>;
}

let tables = 0;

export async function startControlDynalite(): Promise<ControlDynalite> {
  const server: Server = dynalite({ createTableMs: 0 });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const raw = new DynamoDBClient({
    endpoint,
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const client = DynamoDBDocumentClient.from(raw);
  return {
    endpoint,
    client,
    freshTable: async () => {
      const name = `control-${tables++}`;
      await raw.send(
        new CreateTableCommand({
          TableName: name,
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      return new ControlTable(client, name);
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
