/**
 * Where the recorder's Parquet files lie in the archive bucket: the local recorder's layout
 * (core/recording/partition-path.ts) under one prefix,
 *
 *   <prefix>/<kind>/exchange=<exchange>/symbol=<symbol>/date=<YYYY-MM-DD>/hour=<HH>/part-<seq>.parquet
 *
 * The record function receives the prefix as ARCHIVE_PREFIX; the Glue tables and the lifecycle
 * rules are built from the same constants, so the three cannot drift apart.
 */
import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { RecordingKind } from '../../core/recording/recording-tables.ts';

export const ARCHIVE_PREFIX = 'lake';

/** The key prefix of one table's files, with a trailing slash. */
export function archiveTablePrefix(kind: RecordingKind): string {
  return `${ARCHIVE_PREFIX}/${kind}/`;
}

/**
 * The archive bucket's name, computed rather than referenced: the record function's stack builds
 * the same name, so its grant names the bucket literally (no cross-stack token inside a policy) and
 * the grant's cdk-nag acknowledgement can name the exact resource. Unique per account and region.
 */
export function archiveBucketName(namePrefix: string, scope: IConstruct): string {
  const stack = Stack.of(scope);
  return `${namePrefix}-archive-${stack.account}-${stack.region}`;
}
