/**
 * Hostile JSON values for the fuzz tests of wire parsers: what a broken or malicious venue, client
 * or stream puts where a well-formed message has a string, number or object — wrong types, numbers
 * past 2^53 or past a double, numeric-looking text that is no plain decimal, nesting, pollution keys.
 * Also one-field mutations of a real-shaped object.
 */
import fc from 'fast-check';

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    -0,
    0.1,
    1e21,
    1e308,
    2 ** 53 + 2,
    -(2 ** 53) - 2,
    64_000.1,
    '',
    ' ',
    '0',
    '-1',
    '-0',
    '1e400',
    '1e-400',
    'NaN',
    'Infinity',
    '0x10',
    ' 1',
    '1 ',
    '1,5',
    '１２',
    '99999999999999999999',
    '64000.100000000000000001',
    '1.2.3',
    '.',
    '+1',
    '00001',
    '1e5',
    [],
    {},
    [[[[[]]]]],
    { nested: { deeper: ['1'] } },
  ),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 30 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** The object with one key replaced by a hostile value, deleted, or added. */
export function mutatedObject(
  base: Readonly<Record<string, unknown>>,
): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      fc.constantFrom(...Object.keys(base), '__proto__', 'extra'),
      fc.oneof({ weight: 1, arbitrary: fc.constant(DELETE) }, { weight: 6, arbitrary: hostileValue }),
    )
    .map(([key, value]) => {
      const out: Record<string, unknown> = { ...base };
      if (value === DELETE) delete out[key];
      // A data property even for `__proto__`, as JSON.parse makes it.
      else Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      return out;
    });
}

/** Up to `max` successive one-key mutations of `base`. */
export function mutatedObjects(
  base: Readonly<Record<string, unknown>>,
  max: number,
): fc.Arbitrary<Record<string, unknown>> {
  return fc.integer({ min: 1, max }).chain((n) => {
    let arb = mutatedObject(base);
    for (let i = 1; i < n; i++) arb = arb.chain((o) => mutatedObject(o));
    return arb;
  });
}

const DELETE = Symbol('delete');
