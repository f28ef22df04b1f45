/**
 * The Powertools idempotency store the handlers share: partition key `id` (Powertools writes
 * `<function>#<hash of the record's exchange, symbol and sequence>`), TTL attribute `expiration`.
 * A redelivered or bisected Kinesis record finds its key and is not written twice.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

export class IdempotencyTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'id', type: AttributeType.STRING },
      timeToLiveAttribute: 'expiration',
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.table).acknowledge({
      id: 'AwsSolutions-DDB3',
      reason:
        'Entries are short-lived deduplication keys that expire by TTL; a restored copy would hold only stale keys, so point-in-time recovery would buy nothing.',
    });
  }
}
