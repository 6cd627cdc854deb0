/** What `npm audit --omit=dev --json` printed, in the parts the verdict reads (npm 7+ report format). */
export interface AuditReport {
  vulnerabilities?: Record<string, { name: string; severity: string; via: (AuditAdvisory | string)[] }>;
  message?: string;
  error?: { code?: string; summary?: string };
}

export interface AuditAdvisory {
  source?: number;
  name?: string;
  title?: string;
  url?: string;
  severity?: string;
}

/** One entry of audit-exceptions.json. */
export interface AuditException {
  /** The advisory's URL, e.g. https://github.com/advisories/GHSA-xxxx-xxxx-xxxx. */
  advisory: string;
  /** Why it does not apply to RANP Studio's use of the package. */
  reason: string;
}

export type AuditVerdict =
  | { checked: false; why: string }
  | { checked: true; vulnerablePackages: number; explained: string[]; unexplained: string[] };

const BLOCKING = new Set(['high', 'critical']);

/**
 * High and critical advisories of a report, split into explained (listed in the exceptions, with
 * the reason appended) and unexplained. A report without a vulnerabilities table is an audit that
 * could not run (e.g. the registry refused the advisory endpoint): `checked: false` with npm's reason.
 */
export function auditVerdict(report: AuditReport, exceptions: readonly AuditException[]): AuditVerdict {
  if (!report.vulnerabilities)
    return { checked: false, why: report.error?.summary || report.message || 'npm audit printed no report' };
  const reasons = new Map(exceptions.map((e) => [e.advisory, e.reason]));
  const explained: string[] = [];
  const unexplained: string[] = [];
  for (const vulnerability of Object.values(report.vulnerabilities)) {
    for (const via of vulnerability.via) {
      // A string `via` names another vulnerable package, which the report lists under its own name.
      if (typeof via === 'string' || !BLOCKING.has(via.severity ?? '')) continue;
      const line = `${via.severity} ${vulnerability.name}: ${via.title ?? 'untitled advisory'} (${via.url ?? 'no URL'})`;
      const reason = via.url ? reasons.get(via.url) : undefined;
      if (reason) explained.push(`${line} — ${reason}`);
      else unexplained.push(line);
    }
  }
  return {
    checked: true,
    vulnerablePackages: Object.keys(report.vulnerabilities).length,
    explained,
    unexplained,
  };
}
