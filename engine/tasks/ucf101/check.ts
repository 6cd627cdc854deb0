import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError, type SplitName } from '../../data/dataset.js';
import { countShapes, emptyReport, type DatasetReport } from '../../data/reader.js';
import { probeVideo } from './decode.js';
import { readClassIndex, readUcfSplit, VIDEO_FOLDER, type UcfVideo } from './layout.js';

/** Reads the class index and split-1 lists, probes every listed video with ffprobe (4 at a time). */
export async function checkUcf101Folder(root: string): Promise<DatasetReport> {
  const report = emptyReport('ucf101', root, 'videos');
  const problem = (error: unknown) => {
    if (!(error instanceof DataError)) throw error;
    report.problems.push({ file: error.file, problem: error.problem });
  };
  let classes: string[];
  try {
    classes = await readClassIndex(root);
  } catch (error) {
    problem(error);
    return report;
  }
  report.notes.push(`${classes.length} classes in classInd.txt`);
  const videos = new Map<string, UcfVideo>();
  for (const split of ['train', 'test'] as SplitName[]) {
    try {
      const listed = await readUcfSplit(root, split, classes);
      report.splits[split] = listed.length;
      for (const video of listed) videos.set(video.name, video);
    } catch (error) {
      problem(error);
    }
  }
  for (const name of classes) {
    const folder = join(root, VIDEO_FOLDER, name);
    const files = await readdir(folder).catch(() => undefined);
    if (!files) report.problems.push({ file: folder, problem: `missing folder of class ${name}` });
  }
  const queue = [...videos.values()];
  const sizes: number[][] = [];
  const frameCounts: number[] = [];
  const labels = new Set<number>();
  const worker = async () => {
    for (let video = queue.shift(); video; video = queue.shift()) {
      try {
        const probe = await probeVideo(video.file);
        if (probe.frames === 0) throw new DataError(video.file, 'has no frames');
        sizes.push([probe.width, probe.height]);
        frameCounts.push(probe.frames);
        labels.add(video.classIndex);
        report.groups[video.className] = (report.groups[video.className] ?? 0) + 1;
      } catch (error) {
        problem(error);
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  report.items = sizes.length;
  report.shapes = countShapes(sizes);
  report.labels = [...labels].sort((a, b) => a - b);
  if (frameCounts.length)
    report.notes.push(`frames per video: ${Math.min(...frameCounts)} to ${Math.max(...frameCounts)}`);
  report.problems.sort((a, b) => a.file.localeCompare(b.file));
  return report;
}
