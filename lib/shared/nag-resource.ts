/**
 * A resource as cdk-nag names it in a finding id (`AwsSolutions-IAM5[Resource::…]`): unresolved
 * pseudo parameters become `<AWS::Partition>`, `<AWS::AccountId>`, `<AWS::Region>`. Only for ARNs
 * built from literal names and pseudo parameters; a reference to a resource renders differently.
 */
import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export function nagResource(scope: IConstruct, arn: string): string {
  const stack = Stack.of(scope);
  let rendered = arn;
  for (const [value, name] of [
    [stack.partition, 'AWS::Partition'],
    [stack.account, 'AWS::AccountId'],
    [stack.region, 'AWS::Region'],
  ] as const)
    if (Token.isUnresolved(value)) rendered = rendered.replaceAll(value, `<${name}>`);
  if (Token.isUnresolved(rendered))
    throw new Error(`nagResource: ${arn} holds a reference nag renders otherwise`);
  return rendered;
}
