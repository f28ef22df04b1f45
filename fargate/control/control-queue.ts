/**
 * The control queue as the task sees it: long-poll for notices, delete what was handled. The SQS
 * adapter below serves the cloud; the offline cloud passes an in-process queue with the same shape.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface QueuedNotice {
  readonly body: string | undefined;
  readonly receipt: string;
}

export interface ControlQueue {
  /** Waits up to `waitSeconds` for messages (long poll); `signal` aborts the wait at shutdown. */
  receive(waitSeconds: number, signal: AbortSignal): Promise<QueuedNotice[]>;
  delete(receipt: string): Promise<void>;
}

export function sqsControlQueue(client: Pick<SQSClient, 'send'>, queueUrl: string): ControlQueue {
  return {
    receive: async (waitSeconds, signal) => {
      const out = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          WaitTimeSeconds: waitSeconds,
          MaxNumberOfMessages: 10,
        }),
        { abortSignal: signal },
      );
      return (out.Messages ?? []).flatMap((m) =>
        m.ReceiptHandle ? [{ body: m.Body, receipt: m.ReceiptHandle }] : [],
      );
    },
    delete: async (receipt) => {
      await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receipt }));
    },
  };
}
