import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { adminTokenSource } from '../../../lambdas/control/admin-token-source.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

describe('adminTokenSource', () => {
  it('reads the secret once, and again after a failed read', async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand).rejectsOnce(new Error('throttled')).resolves({ SecretString: ' tok \n' });
    const token = adminTokenSource(new SecretsManagerClient({ region: 'ap-northeast-1' }), 'arn:secret');
    await expect(token()).rejects.toThrow('throttled');
    expect(await token()).toBe('tok');
    expect(await token()).toBe('tok');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    sm.restore();
  });

  it('refuses an empty secret: an empty token must never be what a reset is compared with', async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand).resolves({ SecretString: '  ' });
    await expect(
      adminTokenSource(new SecretsManagerClient({ region: 'ap-northeast-1' }), 'arn')(),
    ).rejects.toThrow('the admin token secret is empty');
    sm.restore();
  });
});
