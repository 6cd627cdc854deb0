import type { JobInfo, JobStudy } from '../engine/protocol/index.js';

/** A card in the job list: one study with its experiments in queue order, or one lone job. */
export interface JobGroup {
  key: string;
  study?: JobStudy;
  jobs: JobInfo[];
}

/**
 * The session's jobs (newest first, as the app keeps them) as cards: a study's jobs gathered at its
 * newest job's place, in the order they were queued; other jobs alone.
 */
export function jobGroups(jobs: readonly JobInfo[]): JobGroup[] {
  const groups: JobGroup[] = [];
  const studies = new Map<string, JobGroup>();
  for (const job of jobs) {
    if (!job.study) {
      groups.push({ key: job.id, jobs: [job] });
      continue;
    }
    let group = studies.get(job.study.id);
    if (!group) {
      group = { key: `study-${job.study.id}`, study: job.study, jobs: [] };
      studies.set(job.study.id, group);
      groups.push(group);
    }
    group.jobs.push(job);
  }
  for (const group of studies.values()) group.jobs.sort((a, b) => a.study!.index - b.study!.index);
  return groups;
}
