import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Input channel order of the network (docs/method.md §3). */
export const BRATS_MODALITIES = ['flair', 't1ce', 't1', 't2'] as const;
export type BratsModality = (typeof BRATS_MODALITIES)[number];
export type BratsGrade = 'HGG' | 'LGG' | 'unknown';

export interface BratsSubject {
  id: string;
  grade: BratsGrade;
  dir: string;
  /** Paths of the modality and seg files (the expected path when missing). */
  files: Record<BratsModality | 'seg', string>;
  /** Expected files that are absent. */
  missing: string[];
}

const FILE_KINDS = [...BRATS_MODALITIES, 'seg'] as const;

async function listDirs(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** `<dir>/<id>_<kind>.nii.gz`, or `.nii` when only that exists. */
async function subjectFile(dir: string, id: string, kind: string): Promise<{ path: string; found: boolean }> {
  for (const ext of ['.nii.gz', '.nii']) {
    const path = join(dir, `${id}_${kind}${ext}`);
    if (await exists(path)) return { path, found: true };
  }
  return { path: join(dir, `${id}_${kind}.nii.gz`), found: false };
}

async function readSubject(dir: string, id: string, grade: BratsGrade): Promise<BratsSubject | undefined> {
  const files = {} as Record<BratsModality | 'seg', string>;
  const missing: string[] = [];
  for (const kind of FILE_KINDS) {
    const { path, found } = await subjectFile(dir, id, kind);
    files[kind] = path;
    if (!found) missing.push(path);
  }
  // A folder with none of the expected files is not a subject (e.g. a stray folder).
  if (missing.length === FILE_KINDS.length) return undefined;
  return { id, grade, dir, files, missing };
}

/**
 * Subjects of a BraTS'18 folder: `<root>/{HGG,LGG}/<subject>/` and/or `<root>/<subject>/`
 * (grade 'unknown'), sorted by grade then id.
 */
export async function findBratsSubjects(root: string): Promise<BratsSubject[]> {
  const subjects: BratsSubject[] = [];
  for (const name of await listDirs(root)) {
    if (name === 'HGG' || name === 'LGG') {
      for (const id of await listDirs(join(root, name))) {
        const subject = await readSubject(join(root, name, id), id, name);
        if (subject) subjects.push(subject);
      }
    } else {
      const subject = await readSubject(join(root, name), name, 'unknown');
      if (subject) subjects.push(subject);
    }
  }
  return subjects;
}

/** The folder itself, or one level down (e.g. MICCAI_BraTS_2018_Data_Training), when it holds BraTS subjects. */
export async function detectBratsRoot(dir: string): Promise<string | undefined> {
  for (const candidate of [dir, ...(await listDirs(dir)).map((name) => join(dir, name))]) {
    const names = await listDirs(candidate);
    if (names.includes('HGG') || names.includes('LGG')) return candidate;
    for (const name of names.slice(0, 3)) {
      if ((await subjectFile(join(candidate, name), name, 'flair')).found) return candidate;
    }
  }
  return undefined;
}
