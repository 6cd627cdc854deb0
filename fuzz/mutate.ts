import type { Random } from './random.js';

/** Values that break parsers at their edges: zero, sign bits, maxima of 8/16/32-bit fields. */
const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff];
const INTERESTING_WORDS = [0, 1, -1, 0x7fff, -0x8000, 0xffff, 0x7fffffff, -0x80000000, 348, 540];

/** One byte-level mutation of `input` (never modifies it). */
export function mutateBytes(input: Uint8Array, random: Random, others: Uint8Array[] = []): Uint8Array {
  const out = Uint8Array.from(input);
  const at = () => random.int(Math.max(1, out.length));
  switch (random.int(8)) {
    case 0: {
      // flip a few bits
      for (let i = random.int(4) + 1; i > 0 && out.length; i--) out[at()] ^= 1 << random.int(8);
      return out;
    }
    case 1: {
      for (let i = random.int(4) + 1; i > 0 && out.length; i--) out[at()] = random.pick(INTERESTING_BYTES);
      return out;
    }
    case 2: {
      // an interesting 16/32-bit value at a random (often header) offset, either byte order
      if (out.length < 4) return out;
      const offset =
        random.next() < 0.7 ? random.int(Math.min(out.length - 4, 544)) : random.int(out.length - 4);
      const view = new DataView(out.buffer);
      const little = random.next() < 0.5;
      const value = random.pick(INTERESTING_WORDS);
      if (random.next() < 0.5) view.setInt16(offset, (value << 16) >> 16, little);
      else view.setInt32(offset, value | 0, little);
      return out;
    }
    case 3:
      // truncate
      return out.slice(0, random.int(out.length + 1));
    case 4: {
      // remove a chunk
      const start = at();
      const end = Math.min(out.length, start + random.int(64) + 1);
      return Uint8Array.from([...out.subarray(0, start), ...out.subarray(end)]);
    }
    case 5: {
      // duplicate a chunk
      const start = at();
      const chunk = out.subarray(start, Math.min(out.length, start + random.int(64) + 1));
      const where = at();
      return Uint8Array.from([...out.subarray(0, where), ...chunk, ...out.subarray(where)]);
    }
    case 6: {
      // splice with another corpus entry
      if (!others.length) return out;
      const other = random.pick(others);
      const cut = at();
      return Uint8Array.from([...out.subarray(0, cut), ...other.subarray(Math.min(cut, other.length))]);
    }
    default: {
      // append random bytes
      const extra = new Uint8Array(random.int(32) + 1).map(() => random.int(256));
      return Uint8Array.from([...out, ...extra]);
    }
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const WEIRD_VALUES: Json[] = [
  null,
  true,
  false,
  0,
  -1,
  1e308,
  -1e308,
  0.5,
  '',
  'NaN',
  '../../etc/passwd',
  [],
  {},
  'x'.repeat(5000),
];

/** One structural mutation of a JSON value: a field removed, retyped, replaced or nested deeper. */
export function mutateJson(value: Json, random: Random): Json {
  const paths: (string | number)[][] = [];
  const walk = (v: Json, path: (string | number)[]) => {
    paths.push(path);
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, item] of Object.entries(v)) walk(item, [...path, k]);
  };
  walk(value, []);
  const copy = structuredClone(value);
  const path = random.pick(paths);
  if (path.length === 0) return random.pick(WEIRD_VALUES);
  const parentPath = path.slice(0, -1);
  let parent: Json = copy;
  for (const key of parentPath) parent = (parent as Record<string | number, Json>)[key];
  const key = path[path.length - 1];
  const container = parent as Record<string | number, Json>;
  switch (random.int(4)) {
    case 0:
      if (Array.isArray(container)) container.splice(Number(key), 1);
      else delete container[key];
      break;
    case 1:
      container[key] = random.pick(WEIRD_VALUES);
      break;
    case 2: {
      const old = container[key];
      container[key] =
        typeof old === 'number' ? old * random.pick([-1, 2, 1000, 1e9]) + random.pick([0, 0.5, -1]) : [old];
      break;
    }
    default: {
      let deep: Json = 1;
      for (let i = random.int(200); i > 0; i--) deep = [deep];
      container[key] = deep;
    }
  }
  return copy;
}
