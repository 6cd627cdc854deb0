import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError, type SplitName } from '../../data/dataset.js';

export const VIDEO_FOLDER = 'UCF-101';
export const LIST_FOLDER = 'ucfTrainTestlist';

export interface UcfVideo {
  /** List entry, e.g. 'ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi'. */
  name: string;
  file: string;
  /** 0-based, classInd order. */
  classIndex: number;
  className: string;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The folder holding UCF-101/ and ucfTrainTestlist/: `dir` or one of its subfolders named like UCF101. */
export async function detectUcfRoot(dir: string): Promise<string | undefined> {
  for (const candidate of [dir, join(dir, 'UCF101'), join(dir, 'ucf101')]) {
    if (
      (await exists(join(candidate, VIDEO_FOLDER))) &&
      (await exists(join(candidate, LIST_FOLDER, 'classInd.txt')))
    )
      return candidate;
  }
  return undefined;
}

async function readLines(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new DataError(file, 'missing');
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** classInd.txt: "1 ApplyEyeMakeup" per line, indices 1..N in order. */
export async function readClassIndex(root: string): Promise<string[]> {
  const file = join(root, LIST_FOLDER, 'classInd.txt');
  const lines = await readLines(file);
  return lines.map((line, n) => {
    const [index, name] = line.split(/\s+/);
    if (Number(index) !== n + 1 || !name)
      throw new DataError(file, `line ${n + 1}: expected "${n + 1} <ClassName>", got '${line}'`);
    return name;
  });
}

export function splitListFile(root: string, split: SplitName, splitIndex: number): string {
  const kind = split === 'train' ? 'trainlist' : 'testlist';
  return join(root, LIST_FOLDER, `${kind}${String(splitIndex).padStart(2, '0')}.txt`);
}

/**
 * Videos of a split: train = trainlistNN.txt ("Class/v_Class_gXX_cYY.avi label"), val and test =
 * testlistNN.txt (no label: the class is the folder). UCF101 has no separate validation set.
 */
export async function readUcfSplit(
  root: string,
  split: SplitName,
  classes: string[],
  splitIndex = 1,
): Promise<UcfVideo[]> {
  const file = splitListFile(root, split, splitIndex);
  const byName = new Map(classes.map((name, i) => [name.toLowerCase(), i]));
  return (await readLines(file)).map((line, n) => {
    const [name, label] = line.split(/\s+/);
    const classIndex = byName.get(name.split('/')[0].toLowerCase());
    if (classIndex === undefined)
      throw new DataError(file, `line ${n + 1}: class folder of '${name}' is not in classInd.txt`);
    if (label !== undefined && Number(label) !== classIndex + 1) {
      throw new DataError(
        file,
        `line ${n + 1}: label ${label} does not match classInd.txt (${classes[classIndex]} is ${classIndex + 1})`,
      );
    }
    return { name, file: join(root, VIDEO_FOLDER, name), classIndex, className: classes[classIndex] };
  });
}
