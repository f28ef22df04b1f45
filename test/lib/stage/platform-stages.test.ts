import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { loadEnvironments } from '../../../config/environments.ts';
import { addPlatformStages } from '../../../lib/stage/platform-stages.ts';
import { testApp } from '../support/test-stage.ts';

describe('addPlatformStages', () => {
  it('makes dev, staging and prod, each with data, processing and trading stacks in Tokyo', () => {
    const app = testApp();
    const stages = addPlatformStages(app, loadEnvironments(), { context: () => undefined, env: {} });
    const assembly = app.synth();
    for (const stage of ['dev', 'staging', 'prod']) {
      const stacks = assembly.getNestedAssembly(`assembly-${stage}`).stacks;
      expect(stacks.map((s) => s.stackName).sort()).toEqual([
        `tradeplane-${stage}-backtest`,
        `tradeplane-${stage}-control`,
        `tradeplane-${stage}-data`,
        `tradeplane-${stage}-observability`,
        `tradeplane-${stage}-processing`,
        `tradeplane-${stage}-trading`,
      ]);
      for (const s of stacks) expect(s.environment.region).toBe('ap-northeast-1');
    }
    // No account anywhere: account-agnostic stacks synthesize with no credentials.
    for (const s of stages) expect(Stack.of(s.data).account).toMatch(/^\$\{Token/);
  });

  it('deploys Processing and Trading after Data', () => {
    const app = testApp();
    const [dev] = addPlatformStages(app, loadEnvironments(), { context: () => undefined, env: {} }, ['dev']);
    const assembly = app.synth().getNestedAssembly('assembly-dev');
    const dependsOn = (stack: Stack) =>
      assembly.getStackArtifact(stack.artifactId).dependencies.map((d) => d.id);
    expect(dependsOn(dev!.processing)).toContain(dev!.data.artifactId);
    expect(dependsOn(dev!.trading)).toContain(dev!.data.artifactId);
    expect(dependsOn(dev!.data)).not.toContain(dev!.processing.artifactId);
  });

  it('takes each stage account from context, then the environment, then the file', () => {
    const environments = loadEnvironments();
    environments.environments.prod.account = '333333333333';
    const app = testApp();
    const stages = addPlatformStages(app, environments, {
      context: (key) => (key === 'dev:account' ? '111111111111' : undefined),
      env: { TRADEPLANE_ACCOUNT_DEV: '999999999999', TRADEPLANE_ACCOUNT_STAGING: '222222222222' },
    });
    expect(stages.map((s) => s.account)).toEqual(['111111111111', '222222222222', '333333333333']);
  });
});
