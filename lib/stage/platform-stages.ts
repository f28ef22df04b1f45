/**
 * Every environment of config/environments.json as a Stage of `app`, deployed to ap-northeast-1 in
 * the account deployAccount resolves (context, environment, file; none → the credentials' account).
 */
import type { App } from 'aws-cdk-lib';
import {
  type AccountSources,
  deployAccount,
  type Environments,
  STAGES,
  type Stage,
} from '../../config/environments.ts';
import { PlatformStage } from './platform-stage.ts';

export function addPlatformStages(
  app: App,
  environments: Environments,
  sources: AccountSources,
  stages: readonly Stage[] = STAGES,
): PlatformStage[] {
  return stages.map((stage) => {
    const config = environments.environments[stage];
    const account = deployAccount(stage, config, sources);
    return new PlatformStage(app, stage, {
      stage,
      config,
      env: { region: environments.region, ...(account ? { account } : {}) },
    });
  });
}
