export { formatDecimal, formatDecimalTrimmed } from './format-decimal.ts';
export { fractionDigits, significantFractionDigits } from './fraction-digits.ts';
export { parseDecimal, parseDecimalRange } from './parse-decimal.ts';
export { MAX_SCALE, POW10 } from './pow10.ts';
