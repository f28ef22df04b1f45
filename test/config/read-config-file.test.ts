import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, ConfigErrors, loadAll } from '../../config/config-error.ts';
import { CONFIG_DIR_ENV, configDir, readConfigFile } from '../../config/read-config-file.ts';
import { loadScenarios } from '../../config/scenarios.ts';
import { loadValidationRules } from '../../config/validation-rules.ts';
import { loadVenuesConfig } from '../../config/venues.ts';

describe('config folder and file reading', () => {
  let dir: string;
  const before = process.env[CONFIG_DIR_ENV];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'config-dir-'));
  });
  afterEach(() => {
    if (before === undefined) delete process.env[CONFIG_DIR_ENV];
    else process.env[CONFIG_DIR_ENV] = before;
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the repository config folder by default and the named one when set', () => {
    delete process.env[CONFIG_DIR_ENV];
    expect(configDir()).toBe(fileURLToPath(new URL('../../config/', import.meta.url)));
    expect(loadVenuesConfig().venues.binance?.depthStream).toBe('depth@100ms');
    process.env[CONFIG_DIR_ENV] = dir;
    writeFileSync(join(dir, 'venues.json'), '{"defaults": {}, "venues": {}, "extra": 1}');
    const label = join(dir, 'venues.json');
    expect(() => loadVenuesConfig()).toThrow(`${label}: defaults.reconnect: missing (expected object)`);
    expect(() => loadVenuesConfig()).toThrow(`${label}: extra: unknown key`);
  });

  it('names a missing file, and a malformed one with its line and column', () => {
    process.env[CONFIG_DIR_ENV] = dir;
    expect(() => readConfigFile('scenarios.json')).toThrow(`${join(dir, 'scenarios.json')}: no such file`);
    writeFileSync(join(dir, 'scenarios.json'), '{\n  "scenarios": {\n    x\n');
    expect(() => loadScenarios()).toThrow(ConfigError);
    expect(() => loadScenarios()).toThrow(/scenarios\.json: not valid JSON: .* at line 3, column 5$/);
  });

  it('reports validation-rules problems with path, expectation and value', () => {
    expect(() => loadValidationRules({ windowMs: 'soon', weights: {}, defaults: {}, bogus: 1 })).toThrow(
      /^config\/validation-rules\.json: windowMs: expected number, received "soon"$/m,
    );
  });

  it('loads several files at once and reports every broken one together', () => {
    process.env[CONFIG_DIR_ENV] = dir;
    writeFileSync(join(dir, 'venues.json'), '[');
    writeFileSync(join(dir, 'validation-rules.json'), '{}');
    let error: unknown;
    try {
      loadAll({ venues: loadVenuesConfig, rules: () => loadValidationRules() });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigErrors);
    const lines = (error as Error).message.split('\n');
    expect(lines[0]).toMatch(/venues\.json: not valid JSON/);
    expect(lines.slice(1).every((l) => l.startsWith(join(dir, 'validation-rules.json')))).toBe(true);
    expect(lines.length).toBeGreaterThan(2);
  });
});
