/**
 * The admin token the reset and params routes compare with: the task's own (the same Secrets
 * Manager secret its TRADEPLANE_ADMIN_TOKEN comes from), read once per instance and again after a
 * failed read. The token never reaches a log line.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export function adminTokenSource(
  client: Pick<SecretsManagerClient, 'send'>,
  secretArn: string,
): () => Promise<string> {
  let cached: Promise<string> | undefined;
  return () => {
    cached ??= client.send(new GetSecretValueCommand({ SecretId: secretArn })).then((out) => {
      const token = out.SecretString?.trim() ?? '';
      if (token.length === 0) throw new Error('the admin token secret is empty');
      return token;
    });
    cached.catch(() => {
      cached = undefined;
    });
    return cached;
  };
}
