/**
 * `npm run audit`: `npm audit` of the runtime dependencies (dev tools excluded) that fails on any
 * high or critical advisory not explained in audit-exceptions.json. Where the registry does not
 * serve the advisory endpoint (this sandbox's registry answers 405), it says so and passes: the
 * check cannot be made there. `--strict` fails in that case too.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { auditVerdict, type AuditException, type AuditReport } from './audit-verdict.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const strict = process.argv.includes('--strict');

const exceptions = JSON.parse(readFileSync(join(ROOT, 'audit-exceptions.json'), 'utf8')) as AuditException[];
const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd: ROOT, encoding: 'utf8' });
let report: AuditReport;
try {
  report = JSON.parse(run.stdout) as AuditReport;
} catch {
  report = {
    message: (run.stderr || run.stdout || `npm audit exited with ${run.status}`).trim().split('\n')[0],
  };
}

const verdict = auditVerdict(report, exceptions);
if (!verdict.checked) {
  console.log(
    `npm audit: the registry's advisory database could not be queried (${verdict.why}); runtime dependencies NOT checked.`,
  );
  process.exit(strict ? 1 : 0);
}
for (const line of verdict.explained) console.log(`explained   ${line}`);
for (const line of verdict.unexplained) console.log(`UNEXPLAINED ${line}`);
console.log(
  `npm audit: ${verdict.vulnerablePackages} vulnerable runtime package(s); ${verdict.unexplained.length} high/critical advisory(ies) unexplained (explain one in audit-exceptions.json).`,
);
process.exit(verdict.unexplained.length ? 1 : 0);
