/**
 * The trading lease: one item `{pk: 'trading-lease', owner, epoch, expiresAt}` that a task must hold
 * to trade. Taking it bumps `epoch` with a conditional write, so a second task (a deployment
 * overlap, a zombie after a network partition) fails the condition and refuses to trade, and every
 * order the holder sends carries the epoch it holds (fargate's lease runtime).
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

export interface TradingLeaseTableProps {
  readonly retainOnDelete: boolean;
}

export class TradingLeaseTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: TradingLeaseTableProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: props.retainOnDelete,
      removalPolicy: props.retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.table).acknowledge({
      id: 'AwsSolutions-DDB3',
      reason:
        'The table holds one lease item that is valid for seconds; restoring an old copy would resurrect an expired lease, so point-in-time recovery must not be the way back.',
    });
  }
}
