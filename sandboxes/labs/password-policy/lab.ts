import type { LabDefinition } from '../../checks/types.ts';
import {
  acceptsStrongPassphrase,
  rejectsCommonPasswords,
  rejectsCrackedPasswords,
  rejectsShortPasswords,
  slowsRepeatedFailures,
  weakPasswordMustChange,
  crackedListSprayFails,
} from '../../checks/library/password-checks.ts';
import { apiLogsParentsIn } from '../../checks/library/api-checks.ts';
import { nothingLost } from '../../checks/library/database-checks.ts';

const lesson = '09-passwords-done-right';
const at = (heading: string): string => `${lesson}#${heading}`;

const lab: LabDefinition = {
  meta: {
    id: 'password-policy',
    title: 'Add a password policy',
    kind: 'fix',
    lesson,
    labSection: 'lab-add-a-password-policy',
    editable: ['api/app.js', 'api/common-passwords.txt'],
    goal: 'Make the API refuse weak passwords, slow down guessing, and make parents with a listed password change it, while strong passwords keep working.',
  },
  checks: [
    rejectsCrackedPasswords(at('step-2-reject-common-passwords')),
    rejectsCommonPasswords(at('step-2-reject-common-passwords')),
    rejectsShortPasswords(at('step-1-reject-short-passwords')),
    acceptsStrongPassphrase(at('step-1-reject-short-passwords')),
    slowsRepeatedFailures(at('step-3-slow-down-repeated-failures')),
    weakPasswordMustChange(at('step-4-make-weak-passwords-change-at-next-login')),
    crackedListSprayFails(at('step-4-make-weak-passwords-change-at-next-login')),
    apiLogsParentsIn(at('what-the-checks-prove'), { allowMustChange: true }),
    nothingLost(at('what-the-checks-prove')),
  ],
};

export default lab;
