/**
 * The control table: the control item (kill flag, reason, actor, epoch, params version), the
 * task's acknowledgements and its position report (core/control/control-item.ts). Point-in-time
 * recovery is on: the item is the record of who stopped trading and why, and the last accepted
 * risk parameters — both worth restoring after a bad write (docs/disaster-recovery.md).
 *
 * Named, not referenced: the trading task receives the name as plain configuration, so the
 * control stack can depend on the trading stack (the service it may scale to zero) without a cycle.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

export interface ControlStateTableProps {
  readonly tableName: string;
  readonly retainOnDelete: boolean;
}

export class ControlStateTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: ControlStateTableProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      tableName: props.tableName,
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.retainOnDelete,
      removalPolicy: props.retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }
}
