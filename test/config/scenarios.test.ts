import { describe, expect, it } from 'vitest';
import file from '../../config/scenarios.json' with { type: 'json' };
import { loadScenarios, parseScenarios, scenarioByName } from '../../config/scenarios.ts';
import { defaultRegistry } from '../../core/strategy/registry.ts';

describe('config/scenarios.json', () => {
  const s = loadScenarios();

  it('holds conservative / balanced / aggressive at 1 % / 3 % / 5 % risk per trade', () => {
    expect([...s.scenarios.keys()]).toEqual(['conservative', 'balanced', 'aggressive']);
    expect(scenarioByName(s, 'conservative').riskPerTrade).toBe(0.01);
    expect(scenarioByName(s, 'balanced').riskPerTrade).toBe(0.03);
    expect(scenarioByName(s, 'aggressive').riskPerTrade).toBe(0.05);
  });

  it('grows inventory and leverage with appetite, and keeps the fill model the same', () => {
    const [c, b, a] = ['conservative', 'balanced', 'aggressive'].map((n) => scenarioByName(s, n));
    expect(c!.maxPositionOrders).toBeLessThan(b!.maxPositionOrders);
    expect(b!.maxPositionOrders).toBeLessThan(a!.maxPositionOrders);
    expect(c!.sim.maxLeverage).toBeLessThan(a!.sim.maxLeverage);
    expect(c!.sim.queue).toEqual(a!.sim.queue);
    expect(c!.sim.latency).toEqual(a!.sim.latency);
    expect(c!.initialCapital).toBe(a!.initialCapital);
  });

  it('sizes every reference strategy', () => {
    for (const name of defaultRegistry().names()) expect(s.sizing[name], name).toBeDefined();
  });

  it('names the known scenarios when one is missing', () => {
    expect(() => scenarioByName(s, 'yolo')).toThrow(
      'unknown scenario "yolo" (known: conservative, balanced, aggressive)',
    );
  });
});

describe('parseScenarios', () => {
  it('reports every problem at once: schema, simulator settings and sizing against the registry', () => {
    const bad = {
      scenarios: {
        risky: {
          description: '',
          riskPerTrade: 2,
          maxPositionOrders: 0.5,
          initialCapital: -1,
          sim: { initialCapital: 5, queue: { model: 'fifo' } },
          leverage: 3,
        },
      },
      sizing: {
        'market-maker': { orderSize: 'symbol', positionLimit: 'max_pos' },
        'no-such-strategy': { orderSize: 'a', positionLimit: 'b' },
      },
    };
    let message = '';
    try {
      parseScenarios(bad);
    } catch (error) {
      message = (error as Error).message;
    }
    const lines = message.split('\n');
    // One line per problem, each naming the file, the path, what was expected and what was found.
    for (const line of lines) expect(line).toMatch(/^config\/scenarios\.json: \S+: /);
    for (const expected of [
      'scenarios.risky.description: expected at least 1 characters, received ""',
      'scenarios.risky.riskPerTrade: expected at most 1, received 2',
      'scenarios.risky.maxPositionOrders: expected an integer, received 0.5',
      'scenarios.risky.initialCapital: expected above 0, received -1',
      'scenarios.risky.sim.initialCapital: unknown key',
      'scenarios.risky.sim.queue.model',
      'scenarios.risky.leverage: unknown key',
      'sizing["market-maker"].orderSize: "symbol" is not a numeric parameter',
      'sizing["market-maker"].positionLimit: "max_pos" is not a parameter of market-maker',
      'sizing["no-such-strategy"]: no such strategy',
    ])
      expect(message).toContain(`config/scenarios.json: ${expected}`);
    expect(lines).toHaveLength(10);
  });

  it('fills simulator defaults under the scenario settings', () => {
    const s = parseScenarios({
      scenarios: { x: { description: 'd', riskPerTrade: 0.02, maxPositionOrders: 2, initialCapital: 5000 } },
    });
    const x = scenarioByName(s, 'x');
    expect(x.sim).toMatchObject({ queue: { model: 'risk-averse' }, maxLeverage: 10, partialFills: true });
    expect(x.name).toBe('x');
    expect(s.sizing).toEqual({});
  });

  it('refuses an empty scenario table', () => {
    expect(() => parseScenarios({ scenarios: {} })).toThrow('scenarios: none defined');
  });

  it('accepts the bundled file as JSON (no comments or trailing commas)', () => {
    expect(() => parseScenarios(JSON.parse(JSON.stringify(file)))).not.toThrow();
  });
});
