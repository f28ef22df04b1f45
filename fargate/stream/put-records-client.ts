/**
 * The PutRecords call on a real Kinesis client. The client speaks HTTP/1.1 (NodeHttpHandler): the
 * SDK's default HTTP/2 handler fails against the local emulator (kinesalite: "Protocol error"),
 * and HTTP/1.1 is what the service accepts for PutRecords everywhere, so one client serves both.
 */
import { KinesisClient, type KinesisClientConfig, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { PutRecords } from './kinesis-stream.ts';

export function kinesisClient(config: KinesisClientConfig = {}): KinesisClient {
  return new KinesisClient({ requestHandler: new NodeHttpHandler(), ...config });
}

export function kinesisPutRecords(client: KinesisClient): PutRecords {
  return (request) =>
    client.send(
      new PutRecordsCommand({
        StreamName: request.StreamName,
        Records: request.Records.map((r) => ({ PartitionKey: r.PartitionKey, Data: r.Data })),
      }),
    );
}
