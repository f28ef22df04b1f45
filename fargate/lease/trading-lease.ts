/**
 * The trading lease: at most one task trades at a time, across deployments, restarts and a task
 * that hangs. One DynamoDB item `{ pk: 'trading-lease', owner, epoch, expiresAt }` (LEASE_TABLE):
 *
 * - acquire: a conditional write that succeeds only when no lease exists or the last one expired;
 *   it sets this owner, a new expiry and `epoch + 1`. A second task finds a live lease and is
 *   refused: it does not trade.
 * - renew: extends the expiry only while the item still names this owner AND this epoch, so a task
 *   that lost its lease (it stalled past the expiry and another took over) learns it on its next
 *   renewal and stops, instead of extending someone else's lease.
 * - release: expires the lease at once (same condition), so the next task need not wait out the TTL.
 *
 * The epoch is a fencing token: anything a holder writes can carry it, and a write with an older
 * epoch is from a task that no longer holds the lease. Expiry is judged on the DynamoDB writer's
 * clock (`now`); keep the TTL well above clock skew and the renewal interval (default TTL 30 s,
 * renewed every 10 s).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

export const LEASE_KEY = 'trading-lease';

export interface LeaseHolder {
  readonly owner: string;
  readonly epoch: number;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

export interface TradingLeaseOptions {
  readonly client: Pick<DynamoDBDocumentClient, 'send'>;
  readonly table: string;
  /** This task's id (task ARN, or host and pid): unique per running task. */
  readonly owner: string;
  /** How long a lease lasts without renewal (ms, default 30 000). */
  readonly ttlMs?: number;
  /** Epoch-millisecond clock (default Date.now). */
  readonly now?: () => number;
}

export type AcquireResult =
  | { readonly acquired: true; readonly lease: LeaseHolder }
  | { readonly acquired: false; readonly heldBy: LeaseHolder | undefined };

export class TradingLease {
  private held: LeaseHolder | undefined;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: TradingLeaseOptions) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** The lease as this task last confirmed it; undefined when not held (or it lapsed). */
  current(): LeaseHolder | undefined {
    const held = this.held;
    return held && this.now() < held.expiresAt ? held : undefined;
  }

  async acquire(): Promise<AcquireResult> {
    const now = this.now();
    const expiresAt = now + this.ttlMs;
    try {
      const out = await this.options.client.send(
        new UpdateCommand({
          TableName: this.options.table,
          Key: { pk: LEASE_KEY },
          UpdateExpression:
            'SET #owner = :me, expiresAt = :expires, epoch = if_not_exists(epoch, :zero) + :one',
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: {
            ':me': this.options.owner,
            ':expires': expiresAt,
            ':now': now,
            ':zero': 0,
            ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const epoch = Number(out.Attributes?.epoch);
      this.held = { owner: this.options.owner, epoch, expiresAt };
      return { acquired: true, lease: this.held };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      this.held = undefined;
      return { acquired: false, heldBy: await this.read() };
    }
  }

  /** Extend the lease; false when it is no longer this task's (it must stop trading). */
  async renew(): Promise<boolean> {
    const held = this.held;
    if (!held) return false;
    const expiresAt = this.now() + this.ttlMs;
    if (!(await this.conditionalSetExpiry(held, expiresAt))) {
      this.held = undefined;
      return false;
    }
    this.held = { ...held, expiresAt };
    return true;
  }

  /** Give the lease up now (expiry set to the present), if still held. */
  async release(): Promise<void> {
    const held = this.held;
    this.held = undefined;
    if (held) await this.conditionalSetExpiry(held, this.now());
  }

  /** The lease item as stored (any holder). */
  async read(): Promise<LeaseHolder | undefined> {
    const out = await this.options.client.send(
      new GetCommand({ TableName: this.options.table, Key: { pk: LEASE_KEY }, ConsistentRead: true }),
    );
    const item = out.Item;
    if (!item) return undefined;
    return { owner: String(item.owner), epoch: Number(item.epoch), expiresAt: Number(item.expiresAt) };
  }

  private async conditionalSetExpiry(held: LeaseHolder, expiresAt: number): Promise<boolean> {
    try {
      await this.options.client.send(
        new UpdateCommand({
          TableName: this.options.table,
          Key: { pk: LEASE_KEY },
          UpdateExpression: 'SET expiresAt = :expires',
          ConditionExpression: '#owner = :me AND epoch = :epoch',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':me': held.owner, ':epoch': held.epoch, ':expires': expiresAt },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
