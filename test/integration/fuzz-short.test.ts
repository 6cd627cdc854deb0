import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runFuzz } from '../../fuzz/runner.js';
import { fuzzTargets } from '../../fuzz/targets/index.js';

// The short fuzz run of every parser (npm run fuzz runs the long one: 10,000+ inputs each).
const SHORT_COUNT = Number(process.env.RANP_FUZZ_SHORT ?? 300);

describe('fuzz (short run)', () => {
  for (const target of fuzzTargets) {
    it(`${target.name}: ${SHORT_COUNT} mutated inputs give a result or a specific error`, async () => {
      const report = await runFuzz({
        target: target.name,
        count: SHORT_COUNT,
        seed: 20260101,
        timeoutMs: 20_000,
      });
      expect(report.findings.map((f) => `#${f.index} ${f.outcome}: ${f.message.split('\n')[0]}`)).toEqual([]);
      // The mutations must actually reach the parser's error paths, not only produce valid files.
      expect(report.counts.rejected).toBeGreaterThan(SHORT_COUNT / 10);
    });

    const regressions = path.resolve('fuzz/regressions', target.name);
    if (existsSync(regressions)) {
      for (const file of readdirSync(regressions)) {
        it(`${target.name}: regression input ${file} gives a result or a specific error`, async () => {
          const input = new Uint8Array(readFileSync(path.join(regressions, file)));
          const scratch = mkdtempSync(path.join(tmpdir(), 'ranp-fuzz-regression-'));
          try {
            await target.run(input, scratch).catch((error: unknown) => {
              expect(target.isSpecificError(error), String(error)).toBe(true);
            });
          } finally {
            rmSync(scratch, { recursive: true, force: true });
          }
        });
      }
    }
  }
});
