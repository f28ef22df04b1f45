/**
 * Paths inside the repository, for what CDK bundles or builds from source: the Lambda entries,
 * the lock file and the Docker build context. Resolved from this file, so `cdk synth` works from any
 * working directory.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The repository root. */
export function repositoryRoot(): string {
  return ROOT;
}

/** An absolute path from one relative to the repository root ('lambdas/record/handler.ts'). */
export function repositoryPath(relative: string): string {
  return join(ROOT, relative);
}
