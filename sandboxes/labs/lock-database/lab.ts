import type { LabDefinition } from '../../checks/types.ts';
import {
  anonymousDeniedOnHost,
  anonymousFindFromInternet,
  anonymousListFromInternet,
  appUserLeastPrivilege,
  appUserReads,
  nothingLost,
  notOnAllInterfaces,
  scanBannerQuiet,
} from '../../checks/library/database-checks.ts';
import { apiLogsParentsIn } from '../../checks/library/api-checks.ts';

const lesson = '07-lock-the-database';
const at = (heading: string): string => `${lesson}#${heading}`;

const lab: LabDefinition = {
  meta: {
    id: 'lock-database',
    title: 'Lock the database',
    kind: 'fix',
    lesson,
    labSection: 'lab-lock-the-database',
    editable: ['mongod.conf', 'api/.env'],
    goal: 'Turn on authentication, listen on localhost only, and give the app its own least-privilege user, without breaking the app or losing data.',
  },
  checks: [
    anonymousListFromInternet(at('step-3-turn-on-authorization')),
    anonymousFindFromInternet(at('step-3-turn-on-authorization')),
    anonymousDeniedOnHost(at('step-3-turn-on-authorization')),
    notOnAllInterfaces(at('step-4-listen-on-localhost-only')),
    scanBannerQuiet(at('what-the-checks-prove')),
    appUserReads(at('step-2-create-the-apps-user')),
    appUserLeastPrivilege(at('step-2-create-the-apps-user')),
    apiLogsParentsIn(at('step-5-give-the-app-its-credentials')),
    nothingLost(at('what-the-checks-prove')),
  ],
};

export default lab;
