/**
 * Loads config/fees.json (maker/taker fees and rebates per venue and tier) through core's validator
 * (core/sim/fees/fee-table.ts `parseFeeTable`: unknown keys refused, every problem reported at once).
 */
import { type FeeTable, parseFeeTable } from '../core/sim/fees/fee-table.ts';
import file from './fees.json' with { type: 'json' };

/** The raw bundled document (workers re-parse it: a FeeTable does not cross a thread). */
export const FEES_JSON: unknown = file;

export function loadFeeTable(json: unknown = file): FeeTable {
  try {
    return parseFeeTable(json);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`config/fees.json: ${message}`);
  }
}
