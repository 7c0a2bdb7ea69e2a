import type { LabDefinition } from '../../checks/types.ts';
import { exportHoldsAccounts, logShowsAnonymousReads } from '../../checks/library/evidence-checks.ts';

const lesson = '03-the-open-door';
const at = (heading: string): string => `${lesson}#${heading}`;

const lab: LabDefinition = {
  meta: {
    id: 'open-door',
    title: 'Walk through the open door',
    kind: 'attack',
    lesson,
    labSection: 'lab-walk-through-the-open-door',
    editable: ['notes.md'],
    goal: 'Connect to the database without a password, list its databases and collections, and export the accounts to downloads/.',
  },
  checks: [
    logShowsAnonymousReads(at('step-2-list-the-databases-and-collections')),
    exportHoldsAccounts(at('step-4-export-the-accounts')),
  ],
};

export default lab;
