/**
 * Label colour tables: label value → name and colour. Loaded from assets/colour-tables/*.json or
 * generated for label sets without a published convention (ShapeNet parts, k-means classes).
 */
export interface LabelEntry {
  value: number;
  name: string;
  /** sRGB 0–255. */
  colour: [number, number, number];
}

export interface ColourTable {
  name: string;
  labels: LabelEntry[];
}

/** Per-label display state: hidden labels and opacity (0–1). */
export interface LabelDisplay {
  visible: boolean;
  opacity: number;
}

export const MAX_LABEL_VALUE = 255;

/** Validates a parsed JSON colour table; errors name the entry and field. */
export function parseColourTable(json: unknown, source: string): ColourTable {
  if (typeof json !== 'object' || json === null) throw new Error(`${source}: colour table must be an object`);
  const { name, labels } = json as { name?: unknown; labels?: unknown };
  if (typeof name !== 'string') throw new Error(`${source}: "name" must be a string`);
  if (!Array.isArray(labels)) throw new Error(`${source}: "labels" must be an array`);
  const seen = new Set<number>();
  const parsed = labels.map((entry: unknown, index): LabelEntry => {
    const e = entry as { value?: unknown; name?: unknown; colour?: unknown };
    const where = `${source}: labels[${index}]`;
    if (
      typeof e.value !== 'number' ||
      !Number.isInteger(e.value) ||
      e.value < 0 ||
      e.value > MAX_LABEL_VALUE
    ) {
      throw new Error(`${where}.value must be an integer 0–${MAX_LABEL_VALUE}`);
    }
    if (seen.has(e.value)) throw new Error(`${where}.value ${e.value} appears twice`);
    seen.add(e.value);
    if (typeof e.name !== 'string') throw new Error(`${where}.name must be a string`);
    const c = e.colour;
    if (!Array.isArray(c) || c.length !== 3 || c.some((v) => typeof v !== 'number' || v < 0 || v > 255)) {
      throw new Error(`${where}.colour must be [r, g, b] with values 0–255`);
    }
    return { value: e.value, name: e.name, colour: [c[0], c[1], c[2]] };
  });
  return { name, labels: parsed };
}

/** HSV → RGB (0–255); h in [0, 1). */
function hsvToRgb(h: number, s: number, v: number): [number, number, number] {
  const i = Math.floor(h * 6);
  const f = h * 6 - i;
  const p = v * (1 - s);
  const q = v * (1 - f * s);
  const t = v * (1 - (1 - f) * s);
  const rgb = [
    [v, t, p],
    [q, v, p],
    [p, v, t],
    [p, q, v],
    [t, p, v],
    [v, p, q],
  ][i % 6];
  return [Math.round(rgb[0] * 255), Math.round(rgb[1] * 255), Math.round(rgb[2] * 255)];
}

/**
 * Distinct colours for labels without a convention: hues stepped by the golden ratio so neighbouring
 * label values never look alike. Label 0 (background) is left out.
 */
export function generatedColourTable(name: string, values: readonly number[]): ColourTable {
  const golden = 0.618033988749895;
  return {
    name,
    labels: values
      .filter((v) => v !== 0)
      .map((value, index) => ({
        value,
        name: `label ${value}`,
        colour: hsvToRgb((index * golden) % 1, 0.85, 1),
      })),
  };
}

/**
 * RGBA lookup (256 × 4 bytes) for the shaders: alpha = opacity × visibility (0 for labels not in the
 * table, so unknown values stay transparent rather than getting an invented colour).
 */
export function colourLookup(table: ColourTable, display: ReadonlyMap<number, LabelDisplay>): Uint8Array {
  const lut = new Uint8Array((MAX_LABEL_VALUE + 1) * 4);
  for (const entry of table.labels) {
    const d = display.get(entry.value) ?? { visible: true, opacity: 1 };
    const o = entry.value * 4;
    lut[o] = entry.colour[0];
    lut[o + 1] = entry.colour[1];
    lut[o + 2] = entry.colour[2];
    lut[o + 3] = d.visible ? Math.round(Math.min(1, Math.max(0, d.opacity)) * 255) : 0;
  }
  return lut;
}
