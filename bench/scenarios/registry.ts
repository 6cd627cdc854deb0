import type { Scenario } from '../scenario.js';
import { convScenario } from './conv.js';
import { scoreScenario } from './score.js';
import { stepScenario } from './step.js';
import { storeScenario } from './store.js';
import { viewerOpenScenario } from './viewer-open.js';

/** Every bench scenario. A new one: one file in scenarios/ and one line here. */
export const scenarios: readonly Scenario[] = [
  convScenario,
  stepScenario,
  scoreScenario,
  storeScenario,
  viewerOpenScenario,
];

export function scenarioByName(name: string): Scenario {
  const found = scenarios.find((s) => s.name === name);
  if (!found)
    throw new Error(`unknown scenario '${name}' (one of ${scenarios.map((s) => s.name).join(', ')})`);
  return found;
}
