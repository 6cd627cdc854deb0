// `npm run killtest -- --kills N [--seed S] [--keep DIR]`: the kill loop of kill-loop.ts at scale,
// every kill at a stage drawn at random; prints the figures as JSON and fails when any check did.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { killLoop } from './kill-loop.js';

const { values } = parseArgs({
  options: { kills: { type: 'string', default: '100' }, seed: { type: 'string', default: '1' } },
});
const kills = Number(values.kills);
const seed = Number(values.seed);
if (!Number.isInteger(kills) || kills < 1 || !Number.isInteger(seed))
  throw new Error(
    `--kills must be a positive integer and --seed an integer, got ${values.kills}, ${values.seed}`,
  );
const dir = mkdtempSync(join(tmpdir(), 'ranp-killtest-'));
try {
  const figures = await killLoop({
    dir,
    kills,
    seed,
    onKill: (line, f) => process.stderr.write(`kill ${f.kills}/${kills} (round ${f.rounds + 1}): ${line}\n`),
  });
  const { killedAfter: _lines, ...summary } = figures;
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  const failed =
    figures.crashes.length +
    figures.corruptions.length +
    figures.resumeMismatches.length +
    figures.epochsLost;
  process.exitCode = failed ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
