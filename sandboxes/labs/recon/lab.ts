import type { LabDefinition } from '../../checks/types.ts';
import { findingsMatchDatabase, scanReachedDatabase } from '../../checks/library/evidence-checks.ts';

const lesson = '02-recon';
const at = (heading: string): string => `${lesson}#${heading}`;

const lab: LabDefinition = {
  meta: {
    id: 'recon',
    title: 'Find the open database',
    kind: 'attack',
    lesson,
    labSection: 'lab-find-the-open-database',
    editable: ['findings.txt'],
    goal: "Scan the lab network, find the database that answers without a password, and write down its host, port and version in findings.txt.",
    challenge: {
      brief: "Somewhere on the lab network (cloudpets.test, 203.0.113.0/24) a database answers strangers without a password. Find it, and write its host, port and the version it reports in findings.txt. The version is your world's own: the lesson's example will not match.",
      hints: [
        "Attackers in 2017 did not guess: they scanned address ranges and read the banners that services volunteer. The lab has a scanner.",
        "Run `scan cloudpets.test`, then look closer with `scan db.cloudpets.test`: the MongoDB banner has a `version:` line.",
        "scan db.cloudpets.test, then write three lines in findings.txt: `host: db.cloudpets.test`, `port: 27017` and `version: <the version your scan printed>`. Run `checks`.",
      ],
    },
  },
  checks: [scanReachedDatabase(at('step-1-scan-the-lab-network')), ...findingsMatchDatabase(at('step-3-record-your-findings'))],
};

export default lab;
