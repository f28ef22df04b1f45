/**
 * The control table (CONTROL_TABLE) through DynamoDB: the items of core/control/control-item.ts.
 * The control function flips the control item with conditional writes (the epoch or params
 * version it read must still be there: two concurrent flips cannot both win); the task reads it,
 * writes its acknowledgements and its position report. Reads are strongly consistent: a kill
 * written a moment ago must be seen by the next poll.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  ACK_KEY,
  ackItem,
  CONTROL_KEY,
  type ControlAck,
  type ControlState,
  type PositionReport,
  parseAckItem,
  parseControlItem,
  parseReportItem,
  REPORT_KEY,
  reportItem,
} from '../../core/control/control-item.ts';

export interface KillFlip {
  readonly killed: boolean;
  readonly reason: string;
  readonly actor: string;
  readonly at: string;
}

export interface ParamsChange {
  readonly riskParams: string;
  readonly actor: string;
  readonly at: string;
}

/** The new state, or 'conflict' when another write moved the epoch / version first. */
export type FlipOutcome = ControlState | 'conflict';

export class ControlTable {
  constructor(
    private readonly client: Pick<DynamoDBDocumentClient, 'send'>,
    readonly tableName: string,
  ) {}

  async control(): Promise<ControlState> {
    return parseControlItem(await this.get(CONTROL_KEY));
  }

  async ack(): Promise<ControlAck | undefined> {
    return parseAckItem(await this.get(ACK_KEY));
  }

  async report(): Promise<PositionReport | undefined> {
    return parseReportItem(await this.get(REPORT_KEY));
  }

  /** Kill or reset: `epoch + 1`, only if the epoch is still `expectedEpoch`. */
  flip(flip: KillFlip, expectedEpoch: number): Promise<FlipOutcome> {
    return this.update(
      'SET killed = :killed, reason = :reason, actor = :actor, #at = :at, epoch = :next, paramsVersion = if_not_exists(paramsVersion, :zero)',
      'epoch',
      expectedEpoch,
      { ':killed': flip.killed, ':reason': flip.reason, ':actor': flip.actor, ':at': flip.at },
    );
  }

  /** An accepted risk-params body: `paramsVersion + 1`, only if the version is still `expectedVersion`. */
  changeParams(change: ParamsChange, expectedVersion: number): Promise<FlipOutcome> {
    return this.update(
      'SET riskParams = :params, actor = :actor, #at = :at, paramsVersion = :next, killed = if_not_exists(killed, :false), reason = if_not_exists(reason, :empty), epoch = if_not_exists(epoch, :zero)',
      'paramsVersion',
      expectedVersion,
      {
        ':params': change.riskParams,
        ':actor': change.actor,
        ':at': change.at,
        ':false': false,
        ':empty': '',
      },
    );
  }

  async writeAck(ack: ControlAck): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: ackItem(ack) }));
  }

  async writeReport(report: PositionReport): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: reportItem(report) }));
  }

  private async get(pk: string): Promise<Record<string, unknown> | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk }, ConsistentRead: true }),
    );
    return out.Item;
  }

  private async update(
    set: string,
    counter: 'epoch' | 'paramsVersion',
    expected: number,
    values: Record<string, unknown>,
  ): Promise<FlipOutcome> {
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: CONTROL_KEY },
          UpdateExpression: set,
          // The first write finds no item: the expected counter is then 0.
          ConditionExpression:
            expected === 0
              ? `attribute_not_exists(${counter}) OR ${counter} = :expected`
              : `${counter} = :expected`,
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ...values, ':expected': expected, ':next': expected + 1, ':zero': 0 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return parseControlItem(out.Attributes);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'conflict';
      throw error;
    }
  }
}
