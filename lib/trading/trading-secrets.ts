/**
 * The live task's secrets, created empty here and filled by an operator (docs/deploy.md), injected by
 * ECS as environment variables at task start — never in the template, the task definition or a log:
 *   - one secret per trading venue, a JSON object with the configured fields (`API_KEY`,
 *     `API_SECRET`, …); field F of venue V becomes `<PREFIX>_F` (fargate/execution/credentials.ts,
 *     BINANCE_API_KEY); an empty value reads as "no credentials" and the venue is not traded;
 *   - TRADEPLANE_ADMIN_TOKEN, generated: the token the control routes ask for.
 */
import { RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import { Secret as ContainerSecret } from 'aws-cdk-lib/aws-ecs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { VenueSecretConfig } from '../../config/environments.ts';
import { ENV_PREFIX } from '../../fargate/execution/credentials.ts';

export interface TradingSecretsProps {
  readonly namePrefix: string;
  readonly venues: readonly VenueSecretConfig[];
  readonly retainOnDelete: boolean;
}

export class TradingSecrets extends Construct {
  readonly venueSecrets: ReadonlyMap<string, Secret>;
  readonly adminToken: Secret;
  /** Environment variable name → where ECS reads it from. */
  readonly containerSecrets: Readonly<Record<string, ContainerSecret>>;

  constructor(scope: Construct, id: string, props: TradingSecretsProps) {
    super(scope, id);
    const removalPolicy = props.retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const venueSecrets = new Map<string, Secret>();
    const containerSecrets: Record<string, ContainerSecret> = {};
    for (const venue of props.venues) {
      const prefix = ENV_PREFIX[venue.exchange];
      const secret = new Secret(this, `${prefix}Credentials`, {
        secretName: `${props.namePrefix}/venues/${venue.exchange}`,
        description: `${venue.exchange} API credentials: JSON with ${venue.fields.join(', ')}`,
        // Empty placeholders, not secrets: CloudFormation writes them once and leaves the
        // operator's values alone on later deploys (the template value does not change).
        secretObjectValue: Object.fromEntries(venue.fields.map((f) => [f, SecretValue.unsafePlainText('')])),
        removalPolicy,
      });
      venueSecrets.set(venue.exchange, secret);
      for (const field of venue.fields)
        containerSecrets[`${prefix}_${field}`] = ContainerSecret.fromSecretsManager(secret, field);
    }
    this.venueSecrets = venueSecrets;
    this.adminToken = new Secret(this, 'AdminToken', {
      secretName: `${props.namePrefix}/trading-admin-token`,
      description: 'Token of the live task control routes (TRADEPLANE_ADMIN_TOKEN)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy,
    });
    containerSecrets.TRADEPLANE_ADMIN_TOKEN = ContainerSecret.fromSecretsManager(this.adminToken);
    this.containerSecrets = containerSecrets;
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Venue API keys are issued and revoked on the exchange, which Secrets Manager rotation cannot drive; the admin token is rotated by regenerating it and restarting the task (docs/deploy.md).',
    });
  }
}
