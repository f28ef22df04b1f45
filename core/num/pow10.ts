/** Exact powers of ten that a double holds without rounding (10^0 … 10^22). */
export const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Largest number of decimals an instrument may use: 10^18 still keeps integer steps exact. */
export const MAX_SCALE = 18;
