import { ExportError, type NetExporter, type NetExportInput } from './exporter.js';
import { onnxExporter } from './onnx.js';
import { pytorchExporter } from './pytorch.js';

/** Every export format by name, one line each. */
const exporters: NetExporter[] = [onnxExporter, pytorchExporter];

export const EXPORT_FORMATS = exporters.map((e) => e.format);

export function exporterFor(format: string): NetExporter {
  const exporter = exporters.find((e) => e.format === format);
  if (!exporter)
    throw new ExportError(`unknown export format '${format}' (known: ${EXPORT_FORMATS.join(', ')})`);
  return exporter;
}

/** Writes `input` in `format` into `outDir`; returns the files written. */
export function exportNet(format: string, input: NetExportInput, outDir: string): string[] {
  return exporterFor(format).write(input, outDir);
}
