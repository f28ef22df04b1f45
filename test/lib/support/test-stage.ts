/**
 * A stage of the platform for template assertions: the committed cdk.json context (the same
 * feature flags as `cdk synth`), asset bundling off (no esbuild run, no bundle written) and the
 * built-in CloudFormation validation off (the CLI synth runs it; here it would cost seconds per
 * stage). Each call builds a fresh App.
 */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { type EnvironmentConfig, loadEnvironments, type Stage } from '../../../config/environments.ts';
import { repositoryPath } from '../../../lib/shared/repository-path.ts';
import { PlatformStage } from '../../../lib/stage/platform-stage.ts';

const CDK_CONTEXT = (
  JSON.parse(readFileSync(repositoryPath('cdk.json'), 'utf8')) as { context: Record<string, unknown> }
).context;

export function testApp(): App {
  return new App({
    context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
  });
}

/** The shipped config of `stage`, changed by `edit` (a deep copy: the shipped object stays as it is). */
export function stageConfig(stage: Stage, edit?: (config: EnvironmentConfig) => void): EnvironmentConfig {
  const config = structuredClone(loadEnvironments().environments[stage]);
  edit?.(config);
  return config;
}

export function testStage(
  stage: Stage,
  options: { config?: EnvironmentConfig; account?: string; app?: App } = {},
): PlatformStage {
  const app = options.app ?? testApp();
  return new PlatformStage(app, stage, {
    stage,
    config: options.config ?? stageConfig(stage),
    env: { region: 'ap-northeast-1', ...(options.account ? { account: options.account } : {}) },
  });
}
