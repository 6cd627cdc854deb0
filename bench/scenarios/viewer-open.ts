import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EngineHost } from '../../engine/host/host.js';
import { getVolume } from '../../engine/host/handlers/volume.js';
import { buildRenderer, STATIC_DIR } from '../../test/e2e/helpers/build-renderer.js';
import { CHROMIUM_PATH, launchChromium } from '../../test/e2e/helpers/chromium.js';
import { startEngineHost } from '../../test/e2e/helpers/engine-host.js';
import { STUDY_DIMS, writeStudy, type Study } from '../../test/e2e/helpers/mri-study.js';
import { compareRuns, openCase } from '../../test/e2e/helpers/open-study.js';
import { ITK } from '../../test/e2e/viewer-support.js';
import type { CaseResult, Scenario, ScenarioContext } from '../scenario.js';
import { summarize } from '../stats.js';

/**
 * How long a 181×217×181 BraTS-layout case (4 int16 modalities, truth, 2 stored predictions: the study of
 * test/e2e/helpers/mri-study.ts) takes to open in the app, and where the time goes:
 * - the engine's volume.get handler in-process, cold (files read and inflated) and warm (VolumeCache);
 * - the whole open in Debian's Chromium against the engine host process, as the app shows it on screen
 *   (engine read + transfer, comparison + textures, texture upload + first draw; the other modalities
 *   after the first view), each case cold (first open) and warm (opened again).
 * The load average is recorded with each row: the figures are wall times on a shared machine.
 */

const CASE = 'mri';
const FIXTURE = path.join(ITK, 'KmeansTest_T1UCharRaw.nii.gz');

function load(): Record<string, number> {
  const [one, five] = os.loadavg();
  return { loadAverage1m: Number(one.toFixed(2)), loadAverage5m: Number(five.toFixed(2)) };
}

async function timed(run: () => Promise<unknown>): Promise<{ ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

/** volume.get in-process: the first view's four requests together, then the other three modalities. */
async function engineRows(dataDir: string, study: Study, ctx: ScenarioContext): Promise<CaseResult[]> {
  const host = new EngineHost({ mode: 'test', dataDir, samplesDir: path.resolve('assets/samples') });
  const rows: CaseResult[] = [];
  try {
    const sample = study.cases[0].id;
    const ask = (which: 'image' | 'truth' | 'prediction', runId: number, channels?: number[]) =>
      getVolume({ runId: String(runId), sample, which, channels }, host.context);
    const firstView = () =>
      Promise.all([
        ask('image', study.unprunedRunId, [0]),
        ask('truth', study.unprunedRunId),
        ask('prediction', study.unprunedRunId),
        ask('prediction', study.prunedRunId),
      ]);
    const rest = () => ask('image', study.unprunedRunId, [1, 2, 3]);
    for (const state of ['cold', 'warm'] as const) {
      for (const [op, run] of [
        ['first view: flair + truth + 2 predictions', firstView],
        ['other 3 modalities', rest],
      ] as const) {
        const t = await timed(run);
        ctx.log(
          `  viewer-open engine volume.get ${op} (${state}): ${t.ms.toFixed(0)} ms, cpu ${t.cpuMs.toFixed(0)} ms`,
        );
        rows.push({
          case: CASE,
          op: `engine volume.get, ${op} (${state})`,
          timing: summarize([t.ms], [t.cpuMs], []),
          extra: { ...load(), cachedMiB: host.context.volumes.bytes / 2 ** 20 },
        });
      }
    }
  } finally {
    host.dispose();
  }
  return rows;
}

/** The app in Chromium: each case opened cold, then each again (warm); the on-screen breakdown per open. */
async function appRows(dataDir: string, study: Study, ctx: ScenarioContext): Promise<CaseResult[]> {
  buildRenderer();
  const host = await startEngineHost({ staticDir: STATIC_DIR, dataDir });
  const ui = await launchChromium({ width: 1400, height: 900 });
  const rows: CaseResult[] = [];
  try {
    const view = await compareRuns(ui.page, host.url, ['study unpruned', 'study pruned']);
    const opens: { state: string; id: string; ms: Record<string, number>; load: Record<string, number> }[] =
      [];
    for (const state of ['cold', 'warm']) {
      for (const { id } of study.cases) {
        const ms = await openCase(view, id);
        ctx.log(
          `  viewer-open app ${id} (${state}): first view ${ms.total.toFixed(0)} ms, other modalities ${ms['other modalities after'].toFixed(0)} ms after (${Object.entries(
            ms,
          )
            .map(([k, v]) => `${k} ${v.toFixed(0)}`)
            .join(', ')})`,
        );
        opens.push({ state, id, ms, load: load() });
      }
    }
    for (const state of ['cold', 'warm']) {
      const these = opens.filter((o) => o.state === state);
      const phases = Object.keys(these[0].ms);
      for (const phase of phases) {
        const samples = these.map((o) => o.ms[phase]);
        rows.push({
          case: CASE,
          op: `app open (${state}): ${phase === 'total' ? 'first view, total' : phase}`,
          // The page's time, not this process's: no CPU time to report.
          timing: summarize(
            samples,
            samples.map(() => 0),
            [],
          ),
          extra: { ...these.at(-1)!.load, cases: these.map((o) => o.id).join(' ') },
        });
      }
    }
  } finally {
    await ui.close();
    await host.stop();
  }
  return rows;
}

export const viewerOpenScenario: Scenario = {
  name: 'viewer-open',
  summary:
    'opening a 181×217×181 BraTS case in the segmentation viewer: volume.get in-process (cold, warm) and the whole open in Chromium against the engine host, by phase',
  defaultCases: [CASE],
  cpuDefaultCases: [CASE],
  caseSyntax: `${CASE} (the ${STUDY_DIMS.join('×')} study of test/e2e/helpers/mri-study.ts)`,
  backendIndependent: true,
  parseCase(spec) {
    if (spec !== CASE) throw new Error(`viewer-open case '${spec}': the only case is '${CASE}'`);
    return spec;
  },
  async unavailable() {
    if (!existsSync(FIXTURE))
      return `the Debian ITK MRI fixture is missing (${FIXTURE}): run scripts/setup-system.sh`;
    if (!existsSync(CHROMIUM_PATH)) return `Chromium is not at ${CHROMIUM_PATH} (apt-get install chromium)`;
    return undefined;
  },
  async run(specs, ctx) {
    for (const spec of specs) this.parseCase(spec);
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ranp-bench-viewer-'));
    try {
      ctx.log(`  viewer-open: writing the ${STUDY_DIMS.join('×')} study`);
      const study = writeStudy(dataDir);
      return [...(await engineRows(dataDir, study, ctx)), ...(await appRows(dataDir, study, ctx))];
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
