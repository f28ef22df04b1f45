/**
 * The availability zones a VPC in ap-northeast-1 may use, fixed in code. A stack with a concrete
 * account would otherwise look them up: without credentials `cdk synth` then gives up on the
 * lookup, exits 0 and writes subnets in zones named `dummy1a` and `dummy1b`. Every
 * account in Tokyo has these three zone names (the zone a name maps to differs per account).
 */
export const TOKYO_AVAILABILITY_ZONES: readonly string[] = [
  'ap-northeast-1a',
  'ap-northeast-1c',
  'ap-northeast-1d',
];
