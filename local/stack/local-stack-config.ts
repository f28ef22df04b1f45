/**
 * Every config file the local stack reads, read and validated before anything starts: a broken file
 * must stop `npm start` with its problems listed, having opened no socket and written nothing.
 */
import { loadAll } from '../../config/config-error.ts';
import { configuredInstruments } from '../../config/instruments.ts';
import { loadValidationRules } from '../../config/validation-rules.ts';
import { loadVenuesConfig, type VenuesConfig } from '../../config/venues.ts';
import type { Instrument } from '../../core/market/instrument.ts';
import type { ValidationRules } from '../../core/quality/rules-schema.ts';

export interface LocalStackConfig {
  readonly venues: VenuesConfig;
  readonly rules: ValidationRules;
  readonly instruments: readonly Instrument[];
}

/** Throws a ConfigError (one file) or ConfigErrors (several) listing every problem. */
export function loadLocalStackConfig(): LocalStackConfig {
  return loadAll({
    venues: loadVenuesConfig,
    rules: () => loadValidationRules(),
    instruments: configuredInstruments,
  });
}
