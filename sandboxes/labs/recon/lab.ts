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
  },
  checks: [scanReachedDatabase(at('step-1-scan-the-lab-network')), ...findingsMatchDatabase(at('step-3-record-your-findings'))],
};

export default lab;
