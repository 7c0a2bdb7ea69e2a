import type { LabDefinition } from '../../checks/types.ts';
import { botReplayFails, everythingRestored, raidHappened, ransomNoteGone } from '../../checks/library/ransom-checks.ts';
import { writeBackup } from '../../checks/lab-setups/ransom-backup.ts';
import { apiLogsParentsIn } from '../../checks/library/api-checks.ts';
import { notOnAllInterfaces } from '../../checks/library/database-checks.ts';

const lesson = '05-the-ransom';
const at = (heading: string): string => `${lesson}#${heading}`;

const lab: LabDefinition = {
  meta: {
    id: 'ransom',
    title: 'Survive the ransom',
    kind: 'fix',
    lesson,
    labSection: 'lab-survive-the-ransom',
    editable: ['mongod.conf'],
    goal: 'Let the bot in, restore every account and recording from backup/, drop the note, and close the door so the raid fails next time.',
    challenge: {
      brief: "A ransom bot is about to wipe the open database. Let it in, get every account and recording back from the backup, remove the note it leaves, and make sure its next visit fails. The note's name in your world is your world's own.",
      hints: [
        "You have a backup (backup/) taken before the raid, and a restore script in it. The bot only gets in because the database listens on the internet without a password.",
        "`ransom-bot db.cloudpets.test`; `show dbs` in mongosh to see the note's database; `mongosh mongodb://db.cloudpets.test:27017 --file backup/restore.js`; set `net.bindIp: 127.0.0.1` in mongod.conf.",
        "ransom-bot db.cloudpets.test; mongosh mongodb://db.cloudpets.test:27017 --eval 'show dbs' (the database that is not admin, config, local or cloudpets is the note); mongosh mongodb://db.cloudpets.test:27017 --file backup/restore.js; mongosh mongodb://db.cloudpets.test:27017 --eval \"db.getSiblingDB('<note name>').dropDatabase()\"; then bindIp: 127.0.0.1 under net: in mongod.conf and run `checks`.",
      ],
    },
  },
  // The backup is taken from the freshly seeded data before the learner can touch anything.
  async setup(ctx) {
    await writeBackup(ctx);
  },
  checks: [
    raidHappened(at('step-1-let-the-bot-in')),
    everythingRestored(at('step-3-restore-from-the-backup')),
    ransomNoteGone(at('step-3-restore-from-the-backup')),
    notOnAllInterfaces(at('step-4-close-the-door-the-bot-came-through')),
    apiLogsParentsIn(at('what-the-checks-prove')),
    botReplayFails(at('step-4-close-the-door-the-bot-came-through')),
  ],
};

export default lab;
