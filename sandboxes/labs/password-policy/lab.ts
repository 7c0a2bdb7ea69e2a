import type { LabDefinition } from '../../checks/types.ts';
import {
  acceptsStrongPassphrase,
  rejectsCommonPasswords,
  rejectsCrackedPasswords,
  rejectsShortPasswords,
  slowsRepeatedFailures,
  throttleSparesParent,
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
    challenge: {
      brief: "Make the API refuse weak passwords, slow down password guessing without letting an attacker lock a parent out, and make parents whose password is on the cracked list choose a new one, while strong passphrases keep working and stay stored with bcrypt.",
      hints: [
        "Sign-up and password change go through checkPassword(password); logins go through beforeLogin/afterLogin, which also see where a request comes from. A throttle keyed on the e-mail alone lets anyone lock any parent out.",
        "`checkPassword(password)`: refuse passwords shorter than 15 characters, counted as code points (`[...password].length`, not `.length`), and any password on api/common-passwords.txt (lower case). `beforeLogin(email, { ip })` / `afterLogin(email, ok, { ip })`: count failures per account and source address, answer { retryAfter } after 5. `mustChangePassword(password)`: true for a listed password.",
        "The reference api/app.js (Show solution) loads common-passwords.txt into a Set, refuses passwords shorter than 15 characters (code points) or on the list, keys failures on `${email} ${ip}` with a 15-minute window and answers { retryAfter } after 5 failures from that address, clears the count on success, and returns true from mustChangePassword for listed passwords. Run `checks`.",
      ],
    },
  },
  checks: [
    rejectsCrackedPasswords(at('step-2-reject-common-passwords')),
    rejectsCommonPasswords(at('step-2-reject-common-passwords')),
    rejectsShortPasswords(at('step-1-reject-short-passwords')),
    acceptsStrongPassphrase(at('step-1-reject-short-passwords')),
    slowsRepeatedFailures(at('step-3-slow-down-repeated-failures')),
    throttleSparesParent(at('step-3-slow-down-repeated-failures')),
    weakPasswordMustChange(at('step-4-make-weak-passwords-change-at-next-login')),
    crackedListSprayFails(at('step-4-make-weak-passwords-change-at-next-login')),
    apiLogsParentsIn(at('what-the-checks-prove'), { allowMustChange: true }),
    nothingLost(at('what-the-checks-prove')),
  ],
};

export default lab;
