import type { LabDefinition } from '../../checks/types.ts';
import { scriptedTheft, securityTxtPublished, theftAddressFound, theftScopeFound, theftStartFound } from '../../checks/library/detect.ts';
import { apiLogsParentsIn } from '../../checks/library/api-checks.ts';
import { nothingLost } from '../../checks/library/database-checks.ts';

const lesson = '10-detect-disclose-respond';
const at = (heading: string): string => `${lesson}#${heading}`;

const lab: LabDefinition = {
  meta: {
    id: 'detect-and-respond',
    title: 'Investigate, and open a door for researchers',
    kind: 'fix',
    lesson,
    labSection: 'lab-investigate-and-open-a-door-for-researchers',
    editable: ['findings.txt', 'api/app.js'],
    goal: 'From the database log, find when the theft started, from where and what was read; then publish a valid security.txt on the API.',
  },
  // The theft the learner investigates really happens, over the wire, before they arrive.
  async setup(ctx) {
    await scriptedTheft(ctx);
  },
  checks: [
    theftStartFound(at('step-1-find-the-theft-in-the-logs')),
    theftAddressFound(at('step-1-find-the-theft-in-the-logs')),
    theftScopeFound(at('step-2-write-down-what-you-found')),
    securityTxtPublished(at('step-3-publish-securitytxt')),
    apiLogsParentsIn(at('what-the-checks-prove')),
    nothingLost(at('what-the-checks-prove')),
  ],
};

export default lab;
