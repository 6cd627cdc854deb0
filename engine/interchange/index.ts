/**
 * Interchange: a net (pruned or not) and its weights in formats other engines run.
 *
 * - `exportNet(format, { net, weights, inputSize? }, outDir)` → files written; formats in
 *   registry.ts ('onnx': model.onnx, an opset-13 inference graph; 'pytorch': model.py, a
 *   self-contained nn.Module generated from the description, and weights.pt, its state dict).
 * - `netToOnnx(input)` → the ONNX bytes.
 * - `exportRunNet(store, runId, format, outDir)` → a stored run's trained net (net.json + best.ckpt,
 *   else last.ckpt), what `ranp export` and the app's run export write.
 * Layout: the engine is channels-last (NDHWC); every export is channels-first (NCDHW input and
 * output), its weights permuted once at export (layout.ts), no transposes inside.
 */
export { exportNet, exporterFor, EXPORT_FORMATS } from './registry.js';
export { ExportError, type NetExporter, type NetExportInput } from './exporter.js';
export { netToOnnx, ONNX_FILE, ONNX_OPSET } from './onnx.js';
export {
  netToPythonModule,
  netToTorchStateDict,
  PYTORCH_MODULE_FILE,
  PYTORCH_WEIGHTS_FILE,
} from './pytorch.js';
export { exportRunNet, type RunNetExport } from './run-export.js';
export { NCDHW_TO_NDHWC, NDHWC_TO_NCDHW } from './layout.js';
