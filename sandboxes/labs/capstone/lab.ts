import type { LabDefinition } from '../../checks/types.ts';
import {
  anonymousDeniedOnHost,
  anonymousFindFromInternet,
  anonymousListFromInternet,
  adminUserExists,
  appUserLeastPrivilege,
  appUserReads,
  nothingLost,
  notOnAllInterfaces,
  scanBannerQuiet,
} from '../../checks/library/database-checks.ts';
import { anonymousGetDenied, anonymousListDenied, everyObjectPresent, expiredLinkFails, oldPublicUrlFails, otherParentRefused, ownerGetsWorkingLink } from '../../checks/library/bucket-checks.ts';
import { acceptsStrongPassphrase, rejectsCommonPasswords, rejectsCrackedPasswords, rejectsShortPasswords, slowsRepeatedFailures, throttleSparesParent, weakPasswordMustChange, crackedListSprayFails } from '../../checks/library/password-checks.ts';
import { securityTxtPublished } from '../../checks/library/detection-checks.ts';
import { botReplayFails } from '../../checks/library/ransom-checks.ts';
import { apiLogsParentsIn } from '../../checks/library/api-checks.ts';
import { attackChainFails } from '../../checks/library/attack-chain.ts';

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
    challenge: {
      brief: "Apply every fix of the course to CloudPets' 2016 setup. The whole attack is replayed in order (scan, anonymous read, bucket read and list, the old public URLs, the cracked-password spray) and must fail at every step, while parents keep logging in and getting their recordings, and no data is lost.",
      hints: [
        "It is lessons 7 to 10 together: the database (users, authorization, localhost), the bucket (private, presigned links for the owner), the passwords (policy, throttle, forced change) and security.txt.",
        "Create the admin and app users with `db.createUser` in `mongosh mongodb://db.cloudpets.test:27017` before you lock the database; then edit mongod.conf, api/.env, bucket/policy.json, bucket/public-access-block.json and api/app.js as in lessons 7 to 10, and run `checks` after each layer.",
        "Create the users as in lock-database, then apply the reference files of lock-database (mongod.conf, api/.env), lock-bucket (bucket/ and recordingLink) and password-policy (the policy in api/app.js), and add securityTxt. Run `checks`: the replay check reports each attack step in order.",
      ],
    },
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
    throttleSparesParent(passwords),
    weakPasswordMustChange(passwords),
    crackedListSprayFails(passwords),
    securityTxtPublished(at('step-4-publish-securitytxt')),
    attackChainFails(replay),
    adminUserExists(db),
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
