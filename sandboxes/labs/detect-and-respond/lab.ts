import type { LabDefinition } from '../../checks/types.ts';
import { securityTxtPublished, theftAddressFound, theftScopeFound, theftStartFound } from '../../checks/library/detection-checks.ts';
import { scriptedTheft } from '../../checks/lab-setups/scripted-theft.ts';
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
    challenge: {
      brief: "Someone read CloudPets' data before you arrived. From the database log, find when the theft started, from which address and what was read, and write it in findings.txt; then publish a valid security.txt so the next researcher can reach you. The thief in your world is your world's own.",
      hints: [
        "The lab's database logs every connection and command (a real mongod logs commands only when slower than 100 ms). Your own shell is 198.51.100.23 and the app is 127.0.0.1: anyone else is the outsider.",
        "`grep '\"Connection accepted\"' logs/mongod.log` shows who connected; the outsider's `\"remote\"` address leads to its commands. For security.txt, serve `Contact:` and `Expires:` from securityTxt in api/app.js.",
        "Find the 'Connection accepted' lines whose remote is neither 127.0.0.1 nor 198.51.100.23: that address (without :port) is `address:`. Its first 'Slow query' line gives `started:` (the t.$date value), and the collections of its find/getMore commands (ns cloudpets.<collection>) are `read:`, comma-separated. Then in api/app.js: securityTxt: 'Contact: mailto:security@cloudpets.test\\nExpires: <a date less than a year ahead>\\n'. Run `checks`.",
      ],
    },
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
