/**
 * `cli validate <dir> [--json]`: check a recording folder (the recorder's Parquet layout) for gaps,
 * duplicate sequence ids / trade ids / frames, crossed books and negative sizes, with per-stream
 * message counts and rates. The checks run as DuckDB SQL over the files
 * (local/storage/validate-recording.ts); the report and its rules live in core/recording.
 */
import {
  formatValidationReport,
  type ValidationReport,
  type ValidationThresholds,
} from '../../core/recording/validation-report.ts';
import { validateRecording } from '../../local/storage/validate-recording.ts';

export type { ValidationReport };

export function runValidate(dir: string, thresholds?: ValidationThresholds): Promise<ValidationReport> {
  return validateRecording(dir, thresholds);
}

/** The human summary. */
export function formatValidation(report: ValidationReport): string {
  return formatValidationReport(report);
}

export function validationJson(report: ValidationReport): string {
  return JSON.stringify(report, null, 2);
}
