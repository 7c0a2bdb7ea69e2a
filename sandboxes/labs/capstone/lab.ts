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
import { anonymousGetDenied, anonymousListDenied, everyObjectPresent, expiredLinkFails, oldPublicUrlFails, otherParentRefused, ownerGetsWorkingLink } from '../../checks/library/bucket-checks.ts';
import { acceptsStrongPassphrase, rejectsCommonPasswords, rejectsCrackedPasswords, rejectsShortPasswords, slowsRepeatedFailures, weakPasswordMustChange, crackedListSprayFails } from '../../checks/library/password-checks.ts';
import { securityTxtPublished } from '../../checks/library/detect.ts';
import { botReplayFails } from '../../checks/library/ransom.ts';
import { apiLogsParentsIn } from '../../checks/library/api-checks.ts';

const lesson = '11-capstone';
const at = (heading: string): string => `${lesson}#${heading}`;
const db = at('step-1-lock-the-database');
const bucket = at('step-2-lock-the-bucket');
const passwords = at('step-3-fix-the-passwords');
const replay = at('step-5-replay-the-attack');

const lab: LabDefinition = {
  meta: {
    id: 'capstone',
    title: 'Fix everything, then attack it',
    kind: 'fix',
    lesson,
    labSection: 'lab-fix-everything-then-attack-it',
    editable: ['mongod.conf', 'api/.env', 'api/app.js', 'api/common-passwords.txt', 'bucket/policy.json', 'bucket/public-access-block.json'],
    goal: "Apply every fix of the course to CloudPets' 2016 setup; the whole attack is replayed and must fail end to end while the app keeps working.",
  },
  checks: [
    anonymousListFromInternet(replay),
    anonymousFindFromInternet(replay),
    anonymousDeniedOnHost(db),
    notOnAllInterfaces(db),
    scanBannerQuiet(replay),
    botReplayFails(replay),
    anonymousGetDenied(bucket),
    anonymousListDenied(bucket),
    oldPublicUrlFails(bucket),
    expiredLinkFails(bucket),
    otherParentRefused(bucket),
    rejectsCrackedPasswords(passwords),
    rejectsCommonPasswords(passwords),
    rejectsShortPasswords(passwords),
    slowsRepeatedFailures(passwords),
    weakPasswordMustChange(passwords),
    crackedListSprayFails(passwords),
    securityTxtPublished(at('step-4-publish-securitytxt')),
    appUserReads(db),
    appUserLeastPrivilege(db),
    apiLogsParentsIn(at('what-the-checks-prove'), { allowMustChange: true }),
    acceptsStrongPassphrase(passwords),
    ownerGetsWorkingLink(bucket),
    everyObjectPresent(bucket),
    nothingLost(at('what-the-checks-prove')),
  ],
};

export default lab;
