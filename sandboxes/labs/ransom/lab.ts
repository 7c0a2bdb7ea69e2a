import type { LabDefinition } from '../../checks/types.ts';
import { botReplayFails, everythingRestored, raidHappened, ransomNoteGone, writeBackup } from '../../checks/library/ransom.ts';
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
