/**
 * The Slack-compatible webhook URL, read from Secrets Manager once per instance (a plain string
 * secret, or JSON with a `url` field). The URL is a credential: it never reaches a log line.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export function webhookUrlSource(
  client: Pick<SecretsManagerClient, 'send'>,
  secretArn: string,
): () => Promise<string> {
  let cached: Promise<string> | undefined;
  return () => {
    cached ??= client.send(new GetSecretValueCommand({ SecretId: secretArn })).then((out) => {
      const secret = out.SecretString?.trim() ?? '';
      const url = secret.startsWith('{') ? (JSON.parse(secret) as { url?: unknown }).url : secret;
      if (typeof url !== 'string' || !url.startsWith('https://'))
        throw new Error('webhook secret holds no https URL');
      return url;
    });
    cached.catch(() => {
      cached = undefined; // read it again next time
    });
    return cached;
  };
}
