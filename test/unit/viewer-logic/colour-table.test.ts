import { describe, expect, it } from 'vitest';
import brats from '../../../assets/colour-tables/brats.json';
import {
  colourLookup,
  generatedColourTable,
  parseColourTable,
} from '../../../renderer/viewer/colour-table.js';

describe('colour tables', () => {
  it('BraTS: 1 necrotic core red, 2 edema green, 4 enhancing tumour yellow, 3 unused', () => {
    const table = parseColourTable(brats, 'brats.json');
    const byValue = new Map(table.labels.map((l) => [l.value, l]));
    expect([...byValue.keys()]).toEqual([1, 2, 4]);
    expect(byValue.get(1)).toMatchObject({ colour: [255, 0, 0], name: expect.stringMatching(/necrotic/) });
    expect(byValue.get(2)).toMatchObject({ colour: [0, 255, 0], name: expect.stringMatching(/edema/) });
    expect(byValue.get(4)).toMatchObject({ colour: [255, 255, 0], name: expect.stringMatching(/enhancing/) });
  });

  it('builds the shader lookup with opacity and visibility in alpha', () => {
    const table = parseColourTable(brats, 'brats.json');
    const lut = colourLookup(
      table,
      new Map([
        [2, { visible: true, opacity: 0.5 }],
        [4, { visible: false, opacity: 1 }],
      ]),
    );
    expect([...lut.subarray(4, 8)]).toEqual([255, 0, 0, 255]); // label 1: default fully opaque
    expect([...lut.subarray(8, 12)]).toEqual([0, 255, 0, 128]); // round(0.5 · 255)
    expect([...lut.subarray(12, 16)]).toEqual([0, 0, 0, 0]); // label 3 not in the table
    expect(lut[16 + 3]).toBe(0); // label 4 hidden
    expect([...lut.subarray(0, 4)]).toEqual([0, 0, 0, 0]); // background transparent
  });

  it('generates distinct colours, skipping background', () => {
    const table = generatedColourTable('parts', [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(table.labels.map((l) => l.value)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(table.labels.map((l) => l.colour.join())).size).toBe(8);
  });

  it('names the entry and field of an invalid table', () => {
    expect(() =>
      parseColourTable({ name: 't', labels: [{ value: 1, name: 'a', colour: [0, 0] }] }, 'x.json'),
    ).toThrow('x.json: labels[0].colour must be [r, g, b]');
    expect(() =>
      parseColourTable(
        {
          name: 't',
          labels: [
            { value: 3, name: 'a', colour: [0, 0, 0] },
            { value: 3, name: 'b', colour: [0, 0, 0] },
          ],
        },
        'x.json',
      ),
    ).toThrow('labels[1].value 3 appears twice');
    expect(() =>
      parseColourTable({ name: 't', labels: [{ value: 300, name: 'a', colour: [0, 0, 0] }] }, 'x'),
    ).toThrow(/integer 0–255/);
  });
});
