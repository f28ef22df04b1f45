import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { sqsControlQueue } from '../../../fargate/control/control-queue.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const URL = 'https://sqs.ap-northeast-1.amazonaws.com/123456789012/tradeplane-dev-control';

describe('sqsControlQueue', () => {
  it('long-polls the queue and deletes by receipt handle', async () => {
    const sqs = mockClient(SQSClient);
    sqs.on(ReceiveMessageCommand).resolves({
      Messages: [{ Body: '{"epoch":1}', ReceiptHandle: 'h1' }, { Body: 'no handle' }],
    });
    sqs.on(DeleteMessageCommand).resolves({});
    const queue = sqsControlQueue(new SQSClient({ region: 'ap-northeast-1' }), URL);
    expect(await queue.receive(20, new AbortController().signal)).toEqual([
      { body: '{"epoch":1}', receipt: 'h1' },
    ]);
    await queue.delete('h1');
    const receive = sqs.commandCalls(ReceiveMessageCommand)[0]?.args[0].input;
    expect(receive).toMatchObject({ QueueUrl: URL, WaitTimeSeconds: 20, MaxNumberOfMessages: 10 });
    expect(sqs.commandCalls(DeleteMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: URL,
      ReceiptHandle: 'h1',
    });
    sqs.restore();
  });
});
