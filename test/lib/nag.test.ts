import { type Stack, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { loadEnvironments, STAGES } from '../../config/environments.ts';
import { addPlatformStages } from '../../lib/stage/platform-stages.ts';
import { testApp } from './support/test-stage.ts';

/** Every stage under the AwsSolutions pack, in an App of its own (a failing nag makes synth throw). */
function checkedApp() {
  const app = testApp();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stages = addPlatformStages(app, loadEnvironments(), { context: () => undefined, env: {} });
  return { app, stages };
}

function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  const out: { path: string; id: string; reason: string }[] = [];
  for (const c of root.node.findAll())
    for (const entry of c.node.metadata)
      if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>))
          out.push({ path: c.node.path, id, reason });
  return out;
}

describe('cdk-nag AwsSolutions', () => {
  it('passes for every stage', () => {
    const { app, stages } = checkedApp();
    expect(stages.map((s) => s.stageName)).toEqual([...STAGES]);
    expect(() => app.synth()).not.toThrow();
  });

  it('fails synthesis on a finding nobody acknowledged', () => {
    const { app, stages } = checkedApp();
    new Bucket(stages[0]!.data as Stack, 'Unreviewed', { enforceSSL: true });
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });

  it('gives every acknowledgement a reason, beside a construct below the stacks', () => {
    const { app } = checkedApp();
    const all = acknowledgements(app);
    expect(all.length).toBeGreaterThan(0);
    for (const a of all) {
      expect(a.reason.length, `${a.path} ${a.id}`).toBeGreaterThan(40);
      // Not on a whole stage or stack: each one names the construct it excuses.
      expect(a.path.split('/').length, `${a.path} ${a.id}`).toBeGreaterThan(2);
    }
  });
});
