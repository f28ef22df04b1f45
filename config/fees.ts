/**
 * Loads fees.json (maker/taker fees and rebates per venue and tier) through core's validator
 * (core/sim/fees/fee-table.ts `parseFeeTable`: unknown keys refused, every problem reported at once).
 */
import { type FeeTable, parseFeeTable } from '../core/sim/fees/fee-table.ts';
import { ConfigError } from './config-error.ts';
import { configFileLabel, readConfigFile } from './read-config-file.ts';

const FILE = 'fees.json';

/** The raw document, read now (workers re-parse it: a FeeTable does not cross a thread). */
export function readFeesJson(): unknown {
  return readConfigFile(FILE);
}

export function loadFeeTable(json: unknown = readFeesJson()): FeeTable {
  try {
    return parseFeeTable(json);
  } catch (error) {
    // core writes "fee table is invalid:" and then one indented line per problem.
    const lines = (error instanceof Error ? error.message : String(error)).split('\n');
    const problems = lines.length > 1 ? lines.slice(1).map((l) => l.trim()) : lines;
    throw new ConfigError(configFileLabel(FILE), problems);
  }
}
