/**
 * The VPC of the live task, in two availability zones (a replacement task may start in the other
 * zone when one is impaired). Two shapes, chosen per environment by `trading.natGateways`:
 *   0   public subnets only; the task gets a public IP and a security group with no ingress.
 *       No NAT charge, but the egress IP changes with every task: fine for market data and
 *       testnets, not for API keys restricted to an IP allowlist;
 *   1+  private subnets behind NAT gateways with Elastic IPs: a fixed egress address per gateway
 *       to register with each venue's API key.
 * S3 and DynamoDB are reached through gateway endpoints (free; the lease heartbeat never crosses
 * the NAT). Rejected flows are logged: a cheap record of anything probing the task.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  FlowLogDestination,
  FlowLogTrafficType,
  GatewayVpcEndpointAwsService,
  type SubnetConfiguration,
  SubnetType,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface TradingNetworkProps {
  readonly natGateways: number;
  readonly logRetentionDays: number;
}

export class TradingNetwork extends Construct {
  readonly vpc: Vpc;
  /** Where the task runs, and whether it needs a public IP to reach the internet from there. */
  readonly taskSubnetType: SubnetType;
  readonly assignPublicIp: boolean;

  constructor(scope: Construct, id: string, props: TradingNetworkProps) {
    super(scope, id);
    const behindNat = props.natGateways > 0;
    const subnets: SubnetConfiguration[] = [{ name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 24 }];
    if (behindNat) subnets.push({ name: 'task', subnetType: SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 });
    const flowLogs = new LogGroup(this, 'RejectedFlows', {
      retention: props.logRetentionDays as RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.vpc = new Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: props.natGateways,
      subnetConfiguration: subnets,
      // No resource uses the default security group; restricting it would add a custom-resource Lambda.
      restrictDefaultSecurityGroup: false,
      gatewayEndpoints: {
        S3: { service: GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: GatewayVpcEndpointAwsService.DYNAMODB },
      },
      flowLogs: {
        Rejected: {
          trafficType: FlowLogTrafficType.REJECT,
          destination: FlowLogDestination.toCloudWatchLogs(flowLogs),
        },
      },
    });
    this.taskSubnetType = behindNat ? SubnetType.PRIVATE_WITH_EGRESS : SubnetType.PUBLIC;
    this.assignPublicIp = !behindNat;
  }
}
