import { parseArgs } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runFuzz, type FuzzReport } from './runner.js';
import { fuzzTargets } from './targets/index.js';
import { formatProgressLine } from '../engine/util/progress.js';

/** `npm run fuzz -- [--target NAME]... [--count 10000] [--seed 1]`: the long, on-demand fuzz run. */
const { values } = parseArgs({
  options: {
    target: { type: 'string', multiple: true },
    count: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    timeout: { type: 'string', default: '10000' },
    out: { type: 'string', default: 'fuzz/findings' },
  },
});
const names = values.target?.length ? values.target : fuzzTargets.map((t) => t.name);
const reports: FuzzReport[] = [];
for (const name of names) {
  const started = Date.now();
  const report = await runFuzz({
    target: name,
    count: Number(values.count),
    seed: Number(values.seed),
    timeoutMs: Number(values.timeout),
    findingsDir: values.out,
    onProgress: (done, total) => {
      if (done % 100 === 0 || done === total)
        process.stderr.write(
          `\r${formatProgressLine({ phase: `fuzz ${name}`, done, total, elapsedSeconds: (Date.now() - started) / 1000 })}`,
        );
    },
  });
  process.stderr.write('\n');
  reports.push(report);
  const c = report.counts;
  console.log(
    `${name}: ${report.inputs} inputs in ${report.seconds.toFixed(1)} s — ok ${c.ok}, rejected ${c.rejected}, crash ${c.crash}, hang ${c.hang}, oom ${c.oom}`,
  );
  for (const f of report.findings.slice(0, 5))
    console.log(`  #${f.index} ${f.outcome}: ${f.message.split('\n')[0]} ${f.file ?? ''}`);
}
mkdirSync(values.out, { recursive: true });
const file = path.join(values.out, `report-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify(reports, null, 2));
console.log(`report: ${file}`);
process.exitCode = reports.some((r) => r.findings.length) ? 1 : 0;
