import { describe, expect, it } from 'vitest';
import { wrapText } from '../../../renderer/viewer/viewer-overlay.js';

// A monospace stand-in for canvas measureText: 6 px per character.
const measure = (text: string) => text.length * 6;
const notice =
  'T1 (181×217×181) is larger than the texture limit; shown downsampled to 91×109×91 (every 2/2/2 voxel)';

describe('overlay notices wrapped to the room beside the captions', () => {
  it('breaks at spaces into the fewest lines that fit, each as full as the next word allows', () => {
    const lines = wrapText(notice, 180, measure);
    expect(lines.join(' ')).toBe(notice);
    for (const line of lines) expect(measure(line)).toBeLessThanOrEqual(180);
    // Greedy: the next line's first word would not have fitted on the line before.
    for (let i = 1; i < lines.length; i++)
      expect(measure(`${lines[i - 1]} ${lines[i].split(' ')[0]}`)).toBeGreaterThan(180);
    // By hand, 30 characters a line: 26 (+ ' than' = 31), 29 (+ ' downsampled' = 41), 24 (+ ' (every' = 31), 19.
    expect(lines).toEqual([
      'T1 (181×217×181) is larger',
      'than the texture limit; shown',
      'downsampled to 91×109×91',
      '(every 2/2/2 voxel)',
    ]);
  });

  it('keeps a short notice on one line and gives a word wider than the room a line of its own', () => {
    expect(wrapText('Radiological convention', 600, measure)).toEqual(['Radiological convention']);
    expect(wrapText('a 181×217×181-voxel b', 30, measure)).toEqual(['a', '181×217×181-voxel', 'b']);
  });
});
