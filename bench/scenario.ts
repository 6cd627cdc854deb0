import type { BackendName, BackendReport } from '../engine/backend/index.js';
import type { MeasureOptions, Timing } from './stats.js';

/** One measured row: a case (shape, net…) and an operation within it. */
export interface CaseResult {
  case: string;
  op: string;
  timing: Timing;
  /** Work done per run in FLOPs, counting a multiply-add as 2 (the usual GFLOP/s convention). */
  flops?: number;
  /** flops / median wall time. */
  gflopsPerSecond?: number;
  /** flops / median CPU time: throughput per busy core, robust to other load on the machine. */
  gflopsPerCpuSecond?: number;
  /** Scenario-specific figures: counted FLOPs (multiply-add = 1, the paper's), peak bytes, ratios… */
  extra?: Record<string, number | string | boolean>;
}

export interface ScenarioContext extends MeasureOptions {
  /** Progress lines (stderr). */
  log(line: string): void;
}

/** A bench scenario: one file in scenarios/, one line in scenarios/registry.ts. */
export interface Scenario {
  name: string;
  summary: string;
  /** Case specs run when --shapes is not given. */
  defaultCases: string[];
  /** Defaults for the plain JS cpu backend, ~50-100× slower: the larger cases would take hours. */
  cpuDefaultCases: string[];
  /** Case syntax for --help. */
  caseSyntax: string;
  /** Measures no tensor work (e.g. the store): runs once, on cpu, unless --backends says otherwise. */
  backendIndependent?: boolean;
  /** Checks a case spec up front; throws naming the problem. */
  parseCase(spec: string): unknown;
  /** Why this scenario cannot run in this checkout (a missing engine part), or undefined. */
  unavailable(): Promise<string | undefined>;
  run(specs: string[], ctx: ScenarioContext): Promise<CaseResult[]>;
}

/** GFLOP/s over wall time and over CPU time (per busy core). */
export function gflops(
  flops: number,
  timing: Timing,
): { gflopsPerSecond: number; gflopsPerCpuSecond: number } {
  return {
    gflopsPerSecond: flops / (timing.medianMs * 1e6),
    gflopsPerCpuSecond: flops / (timing.medianCpuMs * 1e6),
  };
}

/** One child process's results for one scenario. */
export interface RunResult {
  backend: BackendName;
  /** OMP_NUM_THREADS of the child (null: unset, all cores). */
  threads: string | null;
  scenario: string;
  backendReport: BackendReport | null;
  /** Why the scenario did not run (a missing engine part). */
  skipped?: string;
  /** Peak resident memory of the child process so far. */
  maxRssMiB: number;
  results: CaseResult[];
}
