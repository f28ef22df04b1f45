/**
 * Time constants for annualization. Crypto markets trade every day of the year, so a year is
 * 365 × 24 h (not 252 trading days); timestamps are integer microseconds everywhere.
 */
export const MICROS_PER_SECOND = 1_000_000;
export const SECONDS_PER_DAY = 86_400;
export const DAYS_PER_YEAR = 365;
export const MICROS_PER_YEAR = DAYS_PER_YEAR * SECONDS_PER_DAY * MICROS_PER_SECOND;
