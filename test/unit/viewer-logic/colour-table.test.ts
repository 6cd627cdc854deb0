import { describe, expect, it } from 'vitest';
import brats from '../../../assets/colour-tables/brats.json';
import {
  colourLookup,
  generatedColourTable,
  labelValues,
  parseColourTable,
  partColourTable,
  withUnlistedLabels,
} from '../../../renderer/viewer/colour-table.js';
import { taskColourTable } from '../../../renderer/viewer/task-colour-tables.js';
import { TASK_NAMES, TASKS } from '../../../engine/domain/tasks.js';

describe('colour tables', () => {
  it('BraTS: 1 necrotic core red, 2 edema green, 4 enhancing tumour yellow, 3 unused', () => {
    const table = parseColourTable(brats, 'brats.json');
    const byValue = new Map(table.labels.map((l) => [l.value, l]));
    expect([...byValue.keys()]).toEqual([1, 2, 4]);
    expect(byValue.get(1)).toMatchObject({ colour: [255, 0, 0], name: expect.stringMatching(/necrotic/) });
    expect(byValue.get(2)).toMatchObject({ colour: [0, 255, 0], name: expect.stringMatching(/edema/) });
    expect(byValue.get(4)).toMatchObject({ colour: [255, 255, 0], name: expect.stringMatching(/enhancing/) });
  });

  it('a volume task shows its labels in the colour table its domain entry names; other tasks name none', () => {
    expect(taskColourTable('brats')).toEqual(parseColourTable(brats, 'assets/colour-tables/brats.json'));
    for (const task of TASK_NAMES) {
      const { segmentationView, labelColours } = TASKS[task];
      expect(labelColours !== null, task).toBe(segmentationView === 'volume');
      if (segmentationView === 'volume') expect(taskColourTable(task).labels.length, task).toBeGreaterThan(0);
      else expect(() => taskColourTable(task)).toThrow(`task '${task}' has no label colour table`);
    }
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

  it('colours a category’s parts in order, part 0 included (Airplane’s first part is label 0)', () => {
    const table = partColourTable('Airplane', [0, 1, 2, 3]);
    expect(table.name).toBe('Airplane parts');
    expect(table.labels.map((l) => [l.value, l.name, l.colour])).toEqual([
      [0, 'part 0', [0, 114, 178]],
      [1, 'part 1', [230, 159, 0]],
      [2, 'part 2', [0, 158, 115]],
      [3, 'part 3', [204, 121, 167]],
    ]);
  });

  it('adds labels the table does not name, with colours far from the listed ones and a lookup entry', () => {
    const table = parseColourTable(brats, 'brats.json');
    const values = labelValues([new Uint8Array([0, 3, 3, 1]), new Int16Array([2, 7, 0])]);
    expect(values).toEqual([0, 1, 2, 3, 7]);
    const full = withUnlistedLabels(table, values);
    expect(full.labels.map((l) => [l.value, l.unlisted ?? false])).toEqual([
      [1, false],
      [2, false],
      [3, true],
      [4, false],
      [7, true],
    ]);
    expect(full.labels.find((l) => l.value === 3)!.name).toBe('label 3, not a BraTS label');
    const colours = full.labels.map((l) => l.colour);
    for (let a = 0; a < colours.length; a++) {
      for (let b = a + 1; b < colours.length; b++) {
        const [x, y] = [colours[a], colours[b]];
        expect(Math.hypot(x[0] - y[0], x[1] - y[1], x[2] - y[2]), `${a} vs ${b}`).toBeGreaterThanOrEqual(120);
      }
    }
    const lut = colourLookup(full, new Map());
    expect(lut[3 * 4 + 3]).toBe(255); // label 3 is now drawn
    expect(withUnlistedLabels(table, [0, 1, 2, 4])).toBe(table);
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
