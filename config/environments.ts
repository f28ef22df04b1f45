/**
 * Loads config/environments.json — what each deployed environment (dev, staging, prod) is sized
 * and retained at — validated whole (zod: unknown keys refused, every problem reported at once),
 * and resolves the AWS account each one deploys into.
 *
 * The limits checked here are the services' own (Fargate CPU/memory pairs, Kinesis retention,
 * S3 lifecycle minimums, Lambda event-source bounds), so a bad value fails `cdk synth` with a line
 * naming the setting instead of failing a CloudFormation deployment halfway.
 */
import { z } from 'zod';
import { EXCHANGES } from '../core/market/exchange.ts';
import { ConfigError } from './config-error.ts';
import { configFileLabel, readConfigFile } from './read-config-file.ts';
import { zodProblems } from './zod-problems.ts';

const FILE = 'environments.json';

export const STAGES = ['dev', 'staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** Latency-critical parts run in Tokyo, next to the venues' matching engines. */
export const REGION = 'ap-northeast-1';

/** The retention periods CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const logRetentionDays = z
  .number()
  .int()
  .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
    message: `one of ${LOG_RETENTION_DAYS.join('|')} (the periods CloudWatch Logs accepts)`,
  });

const accountId = z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id');

/** Kinesis keeps records 24 h to 365 days. */
const retentionHours = z.number().int().min(24).max(8760);
const shards = z.number().int().min(1).max(500);

const streamsSchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('on-demand'),
    rawRetentionHours: retentionHours,
    normalizedRetentionHours: retentionHours,
  }),
  z.strictObject({
    mode: z.literal('provisioned'),
    rawShards: shards,
    normalizedShards: shards,
    rawRetentionHours: retentionHours,
    normalizedRetentionHours: retentionHours,
  }),
]);

/** S3 moves an object to STANDARD_IA / ONEZONE_IA only once it is 30 days old; the others at any age. */
const IA_MIN_DAYS = 30;
const rawTransitionSchema = z
  .strictObject({
    storageClass: z.enum(['INTELLIGENT_TIERING', 'STANDARD_IA', 'ONEZONE_IA', 'GLACIER_IR']),
    afterDays: z.number().int().min(0),
  })
  .superRefine((t, ctx) => {
    if ((t.storageClass === 'STANDARD_IA' || t.storageClass === 'ONEZONE_IA') && t.afterDays < IA_MIN_DAYS)
      ctx.addIssue({
        code: 'custom',
        path: ['afterDays'],
        message: `${t.storageClass} needs afterDays ${IA_MIN_DAYS} or more (an S3 lifecycle rule), got ${t.afterDays}`,
      });
  });

const archiveSchema = z
  .strictObject({
    rawTransition: rawTransitionSchema,
    /** Every archived object is deleted this many days after it was written; null keeps it. */
    expireAfterDays: z.number().int().min(1).nullable(),
    /** Keep the bucket, tables and streams when the stack is deleted (prod). */
    retainOnDelete: z.boolean(),
  })
  .superRefine((a, ctx) => {
    if (a.expireAfterDays !== null && a.expireAfterDays <= a.rawTransition.afterDays)
      ctx.addIssue({
        code: 'custom',
        path: ['expireAfterDays'],
        message: `must be later than rawTransition.afterDays (${a.rawTransition.afterDays}), got ${a.expireAfterDays}`,
      });
  });

const athenaSchema = z.strictObject({
  /** Athena refuses cut-offs below 10 MB. */
  bytesScannedCutoffPerQuery: z.number().int().min(10_000_000),
  resultsExpireAfterDays: z.number().int().min(1),
});

/** The CPU units Fargate offers and, per CPU, the memory range (MiB) and step it accepts. */
const FARGATE_MEMORY: Readonly<Record<number, { min: number; max: number; step: number } | undefined>> = {
  256: { min: 512, max: 2048, step: 512 },
  512: { min: 1024, max: 4096, step: 1024 },
  1024: { min: 2048, max: 8192, step: 1024 },
  2048: { min: 4096, max: 16384, step: 1024 },
  4096: { min: 8192, max: 30720, step: 1024 },
  8192: { min: 16384, max: 61440, step: 4096 },
  16384: { min: 32768, max: 122880, step: 8192 },
};

export const CREDENTIAL_FIELDS = ['API_KEY', 'API_SECRET', 'API_PASSPHRASE', 'ED25519_KEY'] as const;
export type CredentialField = (typeof CREDENTIAL_FIELDS)[number];

const venueSecretSchema = z.strictObject({
  exchange: z.enum(EXCHANGES),
  /** The JSON keys of the venue's secret; each becomes the env var `<PREFIX>_<FIELD>`. */
  fields: z
    .array(z.enum(CREDENTIAL_FIELDS))
    .min(1)
    .refine((f) => new Set(f).size === f.length, { message: 'a field is listed twice' })
    .refine((f) => f.includes('API_KEY'), { message: 'must include API_KEY' }),
});

const tradingSchema = z
  .strictObject({
    cpu: z.number().int(),
    memoryMiB: z.number().int(),
    /** 0: the task sits in a public subnet with a public IP; 1+: private subnets behind NAT (one fixed egress IP per gateway for venue API-key allowlists). */
    natGateways: z.number().int().min(0).max(3),
    logRetentionDays,
    venueSecrets: z
      .array(venueSecretSchema)
      .refine((v) => new Set(v.map((s) => s.exchange)).size === v.length, {
        message: 'a venue is listed twice',
      }),
  })
  .superRefine((t, ctx) => {
    const memory = FARGATE_MEMORY[t.cpu];
    if (!memory) {
      ctx.addIssue({
        code: 'custom',
        path: ['cpu'],
        message: `one of ${Object.keys(FARGATE_MEMORY).join('|')} (Fargate CPU units), got ${t.cpu}`,
      });
      return;
    }
    const { min, max, step } = memory;
    if (t.memoryMiB < min || t.memoryMiB > max || t.memoryMiB % step !== 0)
      ctx.addIssue({
        code: 'custom',
        path: ['memoryMiB'],
        message: `with cpu ${t.cpu}, Fargate takes ${min}–${max} MiB in steps of ${step}, got ${t.memoryMiB}`,
      });
  });

/** How one function reads its stream. */
const consumerSchema = z.strictObject({
  memoryMiB: z.number().int().min(128).max(10240),
  batchSize: z.number().int().min(1).max(10000),
  /**
   * Whole seconds (Lambda refuses fractions here). Normalize wants it short (latency); record wants
   * it long: each batch becomes one Parquet file per partition, and small files cost a PUT each and
   * slow every Athena scan.
   */
  maxBatchingWindowSeconds: z.number().int().min(0).max(300),
});

const processingSchema = z.strictObject({
  normalize: consumerSchema,
  record: consumerSchema,
  parallelizationFactor: z.number().int().min(1).max(10),
  /** Finite: an endless retry would hold a shard back for the whole stream retention. */
  retryAttempts: z.number().int().min(0).max(10000),
  maxRecordAgeSeconds: z.number().int().min(60).max(604800),
  logRetentionDays,
  /** Alerts also go to this address by email (SNS asks it to confirm once). */
  alertEmail: z.email().nullable(),
});

const environmentSchema = z
  .strictObject({
    account: accountId.nullable(),
    streams: streamsSchema,
    archive: archiveSchema,
    athena: athenaSchema,
    trading: tradingSchema,
    processing: processingSchema,
    /** Timestream for LiveAnalytics (closed to new AWS accounts since 2025-06-20); false: S3 + Athena only. */
    timestream: z.boolean(),
  })
  .superRefine((e, ctx) => {
    const shortest = Math.min(e.streams.rawRetentionHours, e.streams.normalizedRetentionHours) * 3600;
    if (e.processing.maxRecordAgeSeconds > shortest)
      ctx.addIssue({
        code: 'custom',
        path: ['processing', 'maxRecordAgeSeconds'],
        message: `must not exceed the streams' retention (${shortest} s), got ${e.processing.maxRecordAgeSeconds}`,
      });
  });

const environmentsSchema = z.strictObject({
  $comment: z.string().optional(),
  region: z.literal(REGION),
  environments: z.strictObject({
    dev: environmentSchema,
    staging: environmentSchema,
    prod: environmentSchema,
  }),
});

export type EnvironmentConfig = z.infer<typeof environmentSchema>;
export type StreamsConfig = EnvironmentConfig['streams'];
export type ProcessingConfig = EnvironmentConfig['processing'];
export type ConsumerConfig = ProcessingConfig['normalize'];
export type VenueSecretConfig = EnvironmentConfig['trading']['venueSecrets'][number];

export interface Environments {
  readonly region: typeof REGION;
  readonly environments: Readonly<Record<Stage, EnvironmentConfig>>;
}

/** environments.json (or `json`), validated now; throws a ConfigError listing every problem. */
export function loadEnvironments(json: unknown = readConfigFile(FILE)): Environments {
  const result = environmentsSchema.safeParse(json, { reportInput: true });
  if (!result.success) throw new ConfigError(configFileLabel(FILE), zodProblems(result.error.issues));
  return result.data;
}

export interface AccountSources {
  /** A CDK context value (`-c dev:account=123456789012`). */
  readonly context: (key: string) => unknown;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The context key that names a stage's account. */
export function accountContextKey(stage: Stage): string {
  return `${stage}:account`;
}

/** The environment variable that names a stage's account. */
export function accountEnvVar(stage: Stage): string {
  return `TRADEPLANE_ACCOUNT_${stage.toUpperCase()}`;
}

/**
 * The account a stage deploys into: context, then the environment, then the file. Undefined leaves
 * the stack account-agnostic (it deploys into the account of the credentials in use), which is also
 * what lets `cdk synth` run with no credentials at all.
 */
export function deployAccount(
  stage: Stage,
  config: EnvironmentConfig,
  sources: AccountSources,
): string | undefined {
  const fromContext = sources.context(accountContextKey(stage));
  const fromEnv = sources.env[accountEnvVar(stage)];
  const [value, label] =
    fromContext !== undefined
      ? [fromContext, `context ${accountContextKey(stage)}`]
      : fromEnv
        ? [fromEnv, `environment ${accountEnvVar(stage)}`]
        : [config.account ?? undefined, configFileLabel(FILE)];
  if (value === undefined) return undefined;
  const parsed = accountId.safeParse(String(value));
  if (!parsed.success) throw new ConfigError(label, [`${stage} account: expected a 12-digit AWS account id`]);
  return parsed.data;
}
