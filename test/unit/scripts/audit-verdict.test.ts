import { describe, expect, it } from 'vitest';
import { auditVerdict, type AuditReport } from '../../../scripts/audit-verdict.js';

// Shaped like npm 11's `npm audit --json` (auditReportVersion 2): `via` holds advisories or the
// names of vulnerable packages that pull the advisory in.
const report: AuditReport = {
  vulnerabilities: {
    'tar-fs': {
      name: 'tar-fs',
      severity: 'high',
      via: [
        {
          source: 1,
          name: 'tar-fs',
          title: 'link following',
          url: 'https://github.com/advisories/GHSA-aaaa',
          severity: 'high',
        },
        {
          source: 2,
          name: 'tar-fs',
          title: 'minor thing',
          url: 'https://github.com/advisories/GHSA-bbbb',
          severity: 'moderate',
        },
      ],
    },
    'prebuild-install': { name: 'prebuild-install', severity: 'high', via: ['tar-fs'] },
    ws: {
      name: 'ws',
      severity: 'critical',
      via: [
        {
          source: 3,
          name: 'ws',
          title: 'DoS',
          url: 'https://github.com/advisories/GHSA-cccc',
          severity: 'critical',
        },
      ],
    },
  },
};

describe('auditVerdict', () => {
  it('counts only high/critical advisories, once each, and not the packages that merely depend on them', () => {
    const verdict = auditVerdict(report, []);
    expect(verdict).toEqual({
      checked: true,
      vulnerablePackages: 3,
      explained: [],
      unexplained: [
        'high tar-fs: link following (https://github.com/advisories/GHSA-aaaa)',
        'critical ws: DoS (https://github.com/advisories/GHSA-cccc)',
      ],
    });
  });

  it('moves an advisory listed in the exceptions to explained, with its reason', () => {
    const verdict = auditVerdict(report, [
      { advisory: 'https://github.com/advisories/GHSA-aaaa', reason: 'install-time only' },
    ]);
    expect(verdict.checked && verdict.unexplained).toEqual([
      'critical ws: DoS (https://github.com/advisories/GHSA-cccc)',
    ]);
    expect(verdict.checked && verdict.explained).toEqual([
      'high tar-fs: link following (https://github.com/advisories/GHSA-aaaa) — install-time only',
    ]);
  });

  it("reports an audit that could not run (the registry's 405) as not checked, with npm's reason", () => {
    const refused: AuditReport = {
      message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      error: { summary: '' },
    };
    expect(auditVerdict(refused, [])).toEqual({
      checked: false,
      why: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
    });
  });

  it('a clean report passes', () => {
    expect(auditVerdict({ vulnerabilities: {} }, [])).toEqual({
      checked: true,
      vulnerablePackages: 0,
      explained: [],
      unexplained: [],
    });
  });
});
