#!/usr/bin/env -S npx tsx
/**
 * The CDK app: one Stage per environment of config/environments.json (dev, staging, prod), each
 * with its data, processing, trading, control, observability and backtest stacks
 * (lib/stage/platform-stage.ts), checked by cdk-nag's AwsSolutions pack — a finding without an
 * acknowledgement beside its construct fails synthesis.
 *
 *   npx cdk synth '**' --no-lookups --no-notices    every stage, offline, no credentials
 *   npx cdk deploy 'dev/*'                           one environment (docs/deploy.md)
 *
 * Plain `cdk synth` selects no stage stacks and validates nothing: always pass a selector.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadEnvironments } from '../config/environments.ts';
import { addPlatformStages } from '../lib/stage/platform-stages.ts';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
addPlatformStages(app, loadEnvironments(), {
  context: (key) => app.node.tryGetContext(key),
  env: process.env,
});
