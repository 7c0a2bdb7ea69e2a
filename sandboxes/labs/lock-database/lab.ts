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
    challenge: {
      brief: "Lock CloudPets' database the way it should have been in 2016: nobody reads or lists anything without logging in, it listens on localhost only, an administrator can still manage users on the database host, and the app logs in with its own least-privilege user. The app must keep working and no data may be lost.",
      hints: [
        "Create the users first, while the database still lets you in; then turn on authorization and bind to localhost. After that, the internet cannot reach the database: manage users from the database host itself, as an administrator would.",
        "In `mongosh mongodb://db.cloudpets.test:27017`: `db.createUser({ user: 'admin', pwd: '<long passphrase>', roles: [{ role: 'root', db: 'admin' }] })` and a `cloudpets-app` user with `readWrite` on cloudpets (in the admin database); `security.authorization: enabled` and `net.bindIp: 127.0.0.1` in mongod.conf; the app's user in MONGODB_URI in api/.env. Later, `dbhost mongosh` opens the MongoDB shell on the database host.",
        "mongosh mongodb://db.cloudpets.test:27017/admin --eval 'db.createUser({ user: \"admin\", pwd: \"<admin passphrase>\", roles: [{ role: \"root\", db: \"admin\" }] })' and the same for { user: \"cloudpets-app\", pwd: \"<app passphrase>\", roles: [{ role: \"readWrite\", db: \"cloudpets\" }] }; in mongod.conf: net.bindIp: 127.0.0.1 and security: authorization: enabled; in api/.env: MONGODB_URI=mongodb://cloudpets-app:<app passphrase>@localhost:27017/cloudpets?authSource=admin. Run `checks`, then manage users with `dbhost mongosh -u admin -p <admin passphrase> --authenticationDatabase admin`.",
      ],
    },
  },
  checks: [
    anonymousListFromInternet(at('step-3-turn-on-authorization')),
    anonymousFindFromInternet(at('step-3-turn-on-authorization')),
    anonymousDeniedOnHost(at('step-3-turn-on-authorization')),
    notOnAllInterfaces(at('step-4-listen-on-localhost-only')),
    scanBannerQuiet(at('what-the-checks-prove')),
    adminUserExists(at('step-1-create-an-admin-user')),
    appUserReads(at('step-2-create-the-apps-user')),
    appUserLeastPrivilege(at('step-2-create-the-apps-user')),
    apiLogsParentsIn(at('step-5-give-the-app-its-credentials')),
    nothingLost(at('what-the-checks-prove')),
  ],
};

export default lab;
