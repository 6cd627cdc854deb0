import * as tf from '@tensorflow/tfjs';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BACKEND_NAMES, parseBackendName, selectBackend, type BackendName } from '../engine/backend/index.js';
import { loadNativeAddon } from '../engine/backend/native-addon.js';
import { processPeakRssMiB } from './peak-rss.js';
import type { CaseResult, RunResult } from './scenario.js';
import { scenarioByName, scenarios } from './scenarios/registry.js';
import { formatResultsTable } from './table.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULT_MARKER = 'RANP_BENCH_RESULT ';

const USAGE = `Usage: npm run bench -- [options]

Measures conv3d kernels, 3D-UNet training steps and RANP scoring on one or more backends, each in
its own process, and writes bench/results/<timestamp>.json plus a table.

Options:
  --scenario LIST   ${scenarios.map((s) => s.name).join(',')} or all (default conv)
  --backends LIST   ${BACKEND_NAMES.join(',')} (default: native,cpu where native loads, else cpu)
  --shapes LIST     cases for the chosen scenario(s), comma-separated:
${scenarios.map((s) => `                      ${s.name}: ${s.caseSyntax}\n                        default ${s.defaultCases.join(',')} (cpu: ${s.cpuDefaultCases.join(',')})`).join('\n')}
  --runs N --points N
                    store scenario: N runs × N metric rows per run (same as --shapes RUNSxPOINTS)
  --reps N          measured runs per case after warm-up (default 5)
  --warmup N        warm-up runs (default 1)
  --budget S        seconds per case; reps shrink to fit, at least 1 (default 60)
  --threads LIST    OMP_NUM_THREADS values for the native backend, e.g. 1,2 (default: unset = all cores)
  --out FILE        result file (default bench/results/<timestamp>.json)

OMP_NUM_THREADS is read once at process start, which is why each backend/thread count runs in a child process.`;

interface ChildSpec {
  backend: BackendName;
  scenarios: string[];
  shapes: string[] | null;
  reps: number;
  warmup: number;
  budgetSeconds: number;
}

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--${name} must be a non-negative integer, got '${value}'`);
  return n;
}

function list(value: string | undefined): string[] | null {
  return value
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : null;
}

/** Child process: one backend, every requested scenario; prints one JSON line per scenario. */
async function child(spec: ChildSpec): Promise<void> {
  const report = await selectBackend({ prefer: spec.backend });
  const log = (line: string) =>
    process.stderr.write(
      `[${spec.backend}${process.env.OMP_NUM_THREADS ? `@${process.env.OMP_NUM_THREADS}t` : ''}] ${line}\n`,
    );
  for (const name of spec.scenarios) {
    const scenario = scenarioByName(name);
    const skipped = await scenario.unavailable();
    let results: CaseResult[] = [];
    if (skipped) log(`${name}: skipped — ${skipped}`);
    else {
      const cases =
        spec.shapes ?? (spec.backend === 'cpu' ? scenario.cpuDefaultCases : scenario.defaultCases);
      log(`${name}: ${cases.length} cases`);
      results = await scenario.run(cases, {
        reps: spec.reps,
        warmup: spec.warmup,
        budgetSeconds: spec.budgetSeconds,
        log,
      });
    }
    const out: RunResult = {
      backend: spec.backend,
      threads: process.env.OMP_NUM_THREADS ?? null,
      scenario: name,
      backendReport: report,
      skipped,
      maxRssMiB: processPeakRssMiB(),
      results,
    };
    process.stdout.write(`${RESULT_MARKER}${JSON.stringify(out)}\n`);
  }
}

function runChild(spec: ChildSpec, threads: string | null): Promise<RunResult[]> {
  const env = { ...process.env };
  delete env.RANP_BACKEND;
  if (threads) env.OMP_NUM_THREADS = threads;
  const proc = spawn(process.execPath, [join(ROOT, 'bin/bench.js'), '--child', JSON.stringify(spec)], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code) => {
      const runs = stdout
        .split('\n')
        .filter((line) => line.startsWith(RESULT_MARKER))
        .map((line) => JSON.parse(line.slice(RESULT_MARKER.length)) as RunResult);
      if (code !== 0 && runs.length === 0)
        reject(new Error(`bench child for ${spec.backend} exited with code ${code}`));
      else resolve(runs);
    });
  });
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      child: { type: 'string' },
      scenario: { type: 'string' },
      backends: { type: 'string' },
      shapes: { type: 'string' },
      runs: { type: 'string' },
      points: { type: 'string' },
      reps: { type: 'string' },
      warmup: { type: 'string' },
      budget: { type: 'string' },
      threads: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.child) {
    await child(JSON.parse(values.child) as ChildSpec);
    return 0;
  }
  const scenarioNames =
    values.scenario === 'all' ? scenarios.map((s) => s.name) : (list(values.scenario) ?? ['conv']);
  const storeSize = values.runs !== undefined || values.points !== undefined;
  if (storeSize && (values.shapes || scenarioNames.join() !== 'store'))
    throw new Error('--runs/--points go with --scenario store and without --shapes');
  const shapes = storeSize
    ? [`${positiveInt(values.runs, 'runs', 1000)}x${positiveInt(values.points, 'points', 100000)}`]
    : list(values.shapes);
  for (const name of scenarioNames) {
    const scenario = scenarioByName(name);
    if (shapes && scenarioNames.length === 1) shapes.forEach((s) => scenario.parseCase(s));
  }
  if (shapes && scenarioNames.length > 1)
    throw new Error('--shapes needs exactly one --scenario (case syntaxes differ)');
  const tensorFree = scenarioNames.every((name) => scenarioByName(name).backendIndependent);
  const backends = (
    list(values.backends) ?? (loadNativeAddon().loaded && !tensorFree ? ['native', 'cpu'] : ['cpu'])
  ).map((b) => parseBackendName(b, '--backends'));
  const threadCounts = list(values.threads) ?? [null];
  const spec = {
    scenarios: scenarioNames,
    shapes,
    reps: positiveInt(values.reps, 'reps', 5),
    warmup: positiveInt(values.warmup, 'warmup', 1),
    budgetSeconds: positiveInt(values.budget, 'budget', 60),
  };
  const startedAt = new Date();
  const loadAtStart = os.loadavg();
  const runs: RunResult[] = [];
  for (const backend of backends)
    for (const threads of backend === 'native' ? threadCounts : [null]) {
      process.stderr.write(
        `bench: ${backend}${threads ? ` with OMP_NUM_THREADS=${threads}` : ''}: ${scenarioNames.join(', ')}\n`,
      );
      runs.push(...(await runChild({ ...spec, backend }, threads)));
    }
  const native = loadNativeAddon();
  const cpus = os.cpus();
  const report = {
    format: 'ranp-bench',
    version: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    command: `npm run bench -- ${argv.join(' ')}`.trim(),
    options: spec,
    machine: {
      cpu: cpus[0]?.model.trim() ?? 'unknown',
      logicalCores: cpus.length,
      memoryGiB: os.totalmem() / 2 ** 30,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      node: process.versions.node,
      tfjs: tf.version.tfjs,
      oneDnn: native.loaded ? native.info.oneDnnVersion : null,
      isa: native.loaded ? native.info.isa : null,
      /** 1-minute load averages: above the core count, wall times include waiting for a core. */
      loadAverage: { start: loadAtStart[0], end: os.loadavg()[0] },
    },
    runs,
  };
  const out =
    values.out ?? join(ROOT, 'bench', 'results', `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  const load = `load average ${loadAtStart[0].toFixed(1)} → ${os.loadavg()[0].toFixed(1)} on ${cpus.length} cores`;
  process.stdout.write(`${formatResultsTable(runs)}\n${load}\nwritten ${out}\n`);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
