import type { Triple } from '../nn/description.js';
import { trainedNetOf } from '../experiment/trained-net.js';
import type { StoreApi } from '../store/store-api.js';
import { checkpointWeights } from '../train/loop.js';
import { exporterFor } from './registry.js';
import { checkOutDir } from './exporter.js';

/** What exportRunNet wrote: the files, and which checkpoint and input size they hold. */
export interface RunNetExport {
  files: string[];
  checkpoint: string;
  inputSize: Triple;
}

/**
 * Exports the trained net of a stored run (its net.json with its best checkpoint, else its last)
 * in `format` into `outDir`. Everything is checked before anything is written: an unknown format,
 * a run without trained weights (NoTrainedNetError) or an out folder that holds files.
 */
export async function exportRunNet(
  store: StoreApi,
  runId: number,
  format: string,
  outDir: string,
  options: { inputSize?: Triple } = {},
): Promise<RunNetExport> {
  const exporter = exporterFor(format);
  const trained = trainedNetOf(store, runId, `export as ${format}`);
  checkOutDir(outDir);
  const inputSize = options.inputSize ?? trained.net.inputSize;
  const weights = await checkpointWeights(trained.checkpointPath);
  const files = exporter.write({ net: trained.net, weights, inputSize }, outDir);
  return { files, checkpoint: trained.checkpointName, inputSize };
}
