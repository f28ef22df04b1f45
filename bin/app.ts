#!/usr/bin/env -S npx tsx
/** The CDK app: one stack per stage. Deploy with `npx cdk deploy -c stage=dev`. */
import { App } from 'aws-cdk-lib';
import { PlatformStack } from '../lib/platform-stack.ts';

const app = new App();
const stage = String(app.node.tryGetContext('stage') ?? 'dev');
// Latency-critical parts run next to the exchanges' matching engines in Tokyo.
new PlatformStack(app, `tradeplane-${stage}`, {
  stage,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: 'ap-northeast-1' },
});
