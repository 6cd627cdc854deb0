/**
 * Label colour tables: label value → name and colour. Loaded from assets/colour-tables/*.json or
 * generated for label sets without a published convention (ShapeNet parts, k-means classes).
 */
export interface LabelEntry {
  value: number;
  name: string;
  /** sRGB 0–255. */
  colour: [number, number, number];
  /** Set for a value the volumes carry but the table's convention does not name (it got a generated colour). */
  unlisted?: true;
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

/** Okabe–Ito colour-blind-safe hues for a category's parts (a ShapeNet category has at most six). */
const PART_COLOURS: [number, number, number][] = [
  [0, 114, 178],
  [230, 159, 0],
  [0, 158, 115],
  [204, 121, 167],
  [86, 180, 233],
  [213, 94, 0],
];

/**
 * A ShapeNet category's part colours, in part order. Unlike generatedColourTable it keeps label 0:
 * there it is a part (Airplane's first), not background.
 */
export function partColourTable(category: string, parts: readonly number[]): ColourTable {
  return {
    name: `${category} parts`,
    labels: parts.map((value, index) => ({
      value,
      name: `part ${value}`,
      colour: PART_COLOURS[index % PART_COLOURS.length],
    })),
  };
}

/** Distinct label values in label maps, ascending (0 included when present). */
export function labelValues(arrays: readonly ArrayLike<number>[]): number[] {
  const seen = new Set<number>();
  const small = new Uint8Array(MAX_LABEL_VALUE + 1);
  for (const values of arrays) {
    for (let v = 0; v < values.length; v++) {
      const value = values[v];
      if (value >= 0 && value <= MAX_LABEL_VALUE) small[value] = 1;
      else seen.add(value);
    }
  }
  small.forEach((present, value) => present && seen.add(value));
  return [...seen].sort((a, b) => a - b);
}

function colourDistance(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/**
 * The table plus an entry for every non-zero value in `values` it does not name, so that every label a
 * net predicts is drawn (an early-trained BraTS net predicts label 3, which BraTS does not use). The
 * added entries get golden-ratio hues, skipping any within a fixed RGB distance of a colour in use, and
 * are named "not a <table> label" in the legend.
 */
export function withUnlistedLabels(table: ColourTable, values: readonly number[]): ColourTable {
  const listed = new Set(table.labels.map((l) => l.value));
  const missing = values.filter((v) => v !== 0 && !listed.has(v) && v >= 0 && v <= MAX_LABEL_VALUE);
  if (missing.length === 0) return table;
  const used = table.labels.map((l) => l.colour as readonly number[]);
  const golden = 0.618033988749895;
  let hueIndex = 0;
  // Up to 64 hues for one far from every colour in use; many unlisted labels cannot all be far apart.
  const pick = (): [number, number, number] => {
    for (let tries = 0; tries < 64; tries++) {
      const colour = hsvToRgb((hueIndex++ * golden) % 1, 0.85, 1);
      if (used.every((c) => colourDistance(c, colour) >= 120)) return colour;
    }
    return hsvToRgb((hueIndex++ * golden) % 1, 0.85, 1);
  };
  const added = missing.map((value): LabelEntry => {
    const colour = pick();
    used.push(colour);
    return { value, name: `label ${value}, not a ${table.name} label`, colour, unlisted: true };
  });
  return { name: table.name, labels: [...table.labels, ...added].sort((a, b) => a.value - b.value) };
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
