import { selectBackend } from '../../backend/index.js';
import { EXPORT_FORMATS, exportRunNet } from '../../interchange/index.js';
import { parseChoice, parseCommandArgs, parseInputSize, parseRunId } from '../args.js';
import { UsageError, type CliCommand } from '../command.js';
import { openStoreAt, STORE_LOCATION_OPTIONS } from '../store-options.js';

const USAGE = `Usage: ranp export --run ID --format ${EXPORT_FORMATS.join('|')} --out DIR [options]

Writes a stored run's trained net (pruned or not; its best checkpoint, else its last) for other
engines, into DIR (new or empty):
  onnx      model.onnx: opset-13 inference graph, input NCDHW [batch, C, D, H, W] fixed to one
            spatial size, output the logits (onnxruntime, TensorRT, …)
  pytorch   model.py (a self-contained torch.nn.Module; load(path) builds it and loads the weights)
            and weights.pt (its state dict), to train or fine-tune under any PyTorch launcher

Options:
  --run ID          a training run (see ranp runs list)
  --format NAME     ${EXPORT_FORMATS.join(' | ')}
  --out DIR         folder to write (must not exist or be empty)
  --input N|DxHxW   spatial input size (default: the size the net was trained at)
  --db FILE | --data-dir DIR   experiment store
  --json            machine-readable output`;

export const exportCommand: CliCommand = {
  name: 'export',
  summary: "write a run's trained net as ONNX or PyTorch",
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      run: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      input: { type: 'string' },
      json: { type: 'boolean', default: false },
      ...STORE_LOCATION_OPTIONS,
    });
    const runId = parseRunId(values.run, '--run ID');
    const format = parseChoice('format', values.format, EXPORT_FORMATS);
    if (!format) throw new UsageError(`--format is required (${EXPORT_FORMATS.join(' or ')})`);
    if (!values.out) throw new UsageError('--out DIR is required (a new or empty folder)');
    const inputSize = values.input === undefined ? undefined : parseInputSize(values.input);
    // The checkpoint is read through tfjs tensors; any backend will do.
    await selectBackend();
    const store = openStoreAt(values);
    try {
      const result = await exportRunNet(store, runId, format, values.out, { inputSize });
      io.out(
        values.json
          ? JSON.stringify({ run: runId, format, ...result }, null, 2)
          : [
              `run ${runId} exported as ${format} (${result.checkpoint}, input ${result.inputSize.join('×')}):`,
              ...result.files.map((f) => `  ${f}`),
            ].join('\n'),
      );
      return 0;
    } finally {
      store.dispose();
    }
  },
};
