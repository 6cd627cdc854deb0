import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeScores, encodeScores, loadScores, saveScores } from '../../../engine/prune/scores-file.js';
import { validateScores } from '../../../engine/prune/validate-scores.js';
import { prune } from '../../../engine/prune/prune.js';
import { concatNet, inceptionNet } from './nets.js';
import { concatScores } from './scores.js';

const dir = mkdtempSync(join(tmpdir(), 'ranp-scores-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('score file (RANPSCR1)', () => {
  const net = concatNet();
  const scores = concatScores(net);

  it('round-trips through a real file, and pruning from the file gives the same result', () => {
    const file = join(dir, 'concat.ranpscores');
    saveScores(file, scores);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 8).toString('ascii')).toBe('RANPSCR1');
    const headerLength = bytes.readUInt32LE(8);
    const header = JSON.parse(bytes.subarray(12, 12 + headerLength).toString('utf8'));
    expect(header).toMatchObject({
      format: 'ranp-scores',
      version: 1,
      net: 'test-concat',
      source: 'hand-set',
    });
    // Data starts 4-aligned; b's six values follow a's two.
    const dataStart = Math.ceil((12 + headerLength) / 4) * 4;
    expect(bytes.readFloatLE(dataStart + 4 * (2 + 5))).toBe(5);
    const loaded = loadScores(file);
    expect([...loaded.layers.get('b')!.values]).toEqual([1, 1, 1, 1, 3, 5]);
    const a = prune(net, scores, { method: 'ranp-f', sparsity: 0.5 });
    const b = prune(net, loaded, { method: 'ranp-f', sparsity: 0.5 });
    expect(b.report.layers).toEqual(a.report.layers);
  });

  function corrupt(
    edit: (bytes: Uint8Array, header: Record<string, unknown>) => Uint8Array | Record<string, unknown>,
  ): Uint8Array {
    const bytes = encodeScores(scores);
    const length = new DataView(bytes.buffer).getUint32(8, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length)));
    const edited = edit(bytes, header);
    if (edited instanceof Uint8Array) return edited;
    const json = new TextEncoder().encode(JSON.stringify(edited).padEnd(length, ' '));
    const out = bytes.slice();
    out.set(json.subarray(0, length), 12);
    return out;
  }

  it('rejects files another tool got wrong, with the problem named', () => {
    const dataStart = (b: Uint8Array) => Math.ceil((12 + new DataView(b.buffer).getUint32(8, true)) / 4) * 4;
    const cases: [string, Uint8Array, RegExp][] = [
      [
        'magic',
        corrupt((b) => new Uint8Array([...new TextEncoder().encode('NOTSCORE'), ...b.subarray(8)])),
        /not a RANP score file/,
      ],
      ['version', corrupt((_, h) => ({ ...h, version: 2 })), /version 2 is not supported/],
      ['task', corrupt((_, h) => ({ ...h, task: 'mnist' })), /task "mnist"/],
      [
        'length',
        corrupt((_, h) => ({
          ...h,
          layers: [{ name: 'a', shape: [1, 1, 1, 1, 2], outAxis: 4, offset: 0, length: 3 }],
        })),
        /length 3 but shape/,
      ],
      ['truncated', corrupt((b) => b.subarray(0, b.length - 8)), /layer 'head'.*outside the/],
      [
        'negative',
        corrupt((b) => {
          const out = b.slice();
          new DataView(out.buffer).setFloat32(dataStart(out) + 4, -1, true);
          return out;
        }),
        /layer 'a': value 1 is -1/,
      ],
      [
        'nan',
        corrupt((b) => {
          const out = b.slice();
          new DataView(out.buffer).setFloat32(dataStart(out) + 8, NaN, true);
          return out;
        }),
        /layer 'b': value 0 is NaN/,
      ],
    ];
    for (const [what, bytes, message] of cases) {
      const file = join(dir, `${what}.ranpscores`);
      writeFileSync(file, bytes);
      expect(() => loadScores(file), what).toThrow(message);
      expect(() => loadScores(file), what).toThrow(file);
    }
  });

  it('validates scores against the net: name, layers, shapes', () => {
    expect(() => validateScores(inceptionNet(), scores)).toThrow(
      /for net 'test-concat', not 'test-inception'/,
    );
    const missing = decodeScores(encodeScores(scores));
    missing.layers.delete('b');
    expect(() => validateScores(net, missing)).toThrow(/no scores for layer\(s\) 'b'/);
    const wrongShape = decodeScores(encodeScores(scores));
    wrongShape.layers.set('b', { shape: [1, 1, 1, 3, 2], outAxis: 4, values: new Float32Array(6) });
    expect(() => validateScores(net, wrongShape)).toThrow(
      /'b' scores have shape \[1, 1, 1, 3, 2\], its weight is \[1, 1, 1, 2, 3\]/,
    );
  });
});
