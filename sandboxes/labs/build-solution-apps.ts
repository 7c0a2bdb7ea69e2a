/**
 * The reference solutions' api/app.js files, built from the world's 2016 app
 * (sandboxes/world/api/starting-app.js) plus each lab's fix, so they never drift from the
 * app the learner starts with. `npx tsx sandboxes/labs/build-solution-apps.ts` rewrites them;
 * test/labs/lab-folders.test.ts fails when a committed file differs from what this builds.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainModule } from '../command-line/main-module.ts';
import { readCommandLine, type ProgramSpec } from '../command-line/read-command-line.ts';

const LABS = fileURLToPath(new URL('./', import.meta.url));
export const STARTING_APP = fileURLToPath(new URL('../world/api/starting-app.js', import.meta.url));

const RECORDING_LINK_2016 = `  async recordingLink(recording, { presign, user }) {
    return recording.url;
  },`;
const CHECK_PASSWORD_2016 = `  checkPassword(password) {
    return null;
  },`;
const EXPORTS = 'module.exports = {';

const LOCKED_LINK = `  //
  // Locked (lab lock-bucket): only the parent the recording belongs to gets a link, and the
  // link is signed for this request and dies after 15 minutes; the bucket itself is private.
  async recordingLink(recording, { presign, user }) {
    if (String(recording.userId) !== String(user.id)) return null; // someone else's: refuse (404)
    return presign(recording.key, 900); // 15 minutes, in seconds
  },`;

const POLICY_PRELUDE = `// The password policy (lab password-policy): NIST SP 800-63B-4. The password is the only
// login factor here, so at least 15 characters, counted as Unicode code points (an emoji is one
// character, though JavaScript's .length counts it as two); not on the list of common passwords
// (api/common-passwords.txt, compared in lower case); no other composition rules, so a long
// passphrase always works.
const fs = require('node:fs');
const path = require('node:path');
const COMMON_PASSWORDS = new Set(
  fs
    .readFileSync(path.join(path.dirname(__filename), 'common-passwords.txt'), 'utf8')
    .split(/\\r?\\n/)
    .map((line) => line.trim().toLowerCase())
    .filter((line) => line !== '' && !line.startsWith('#')),
);

function passwordProblem(password) {
  if (typeof password !== 'string' || [...password].length < 15) {
    return 'Use at least 15 characters. A short sentence of a few words is easiest to remember.';
  }
  if (COMMON_PASSWORDS.has(password.toLowerCase())) {
    return 'This password is on a list of common passwords that attackers try first. Choose another.';
  }
  return null;
}

// Failed logins per account *and* source address: after 5 in a row from one address, that
// address waits before its next try at that account, a delay that doubles with each further
// failure (capped at 15 minutes). Keyed on the e-mail alone, anyone who knows a parent's
// e-mail could keep that parent locked out (OWASP Authentication Cheat Sheet: lockout as
// denial of service); keyed on both, the attacker is slowed and the parent, from their own
// address, still gets in.
const FREE_FAILURES = 5;
const failures = new Map();
const throttleKey = (email, ip) => \`\${email} from \${ip}\`;

${EXPORTS}`;

const POLICY_HOOKS = `  checkPassword(password) {
    return passwordProblem(password);
  },

  // Before a login's password is checked: return { retryAfter: seconds } to answer 429
  // Too Many Requests (with Retry-After) without checking it.
  // \`request.ip\` is the address the attempt comes from.
  beforeLogin(email, request) {
    const entry = failures.get(throttleKey(email, request.ip));
    if (!entry || entry.count < FREE_FAILURES) return null;
    const wait = Math.min(900, 2 ** (entry.count - FREE_FAILURES)) * 1000 - (Date.now() - entry.last);
    return wait > 0 ? { retryAfter: Math.ceil(wait / 1000) } : null;
  },

  // After each login attempt: \`ok\` says whether the password was right.
  afterLogin(email, ok, request) {
    const key = throttleKey(email, request.ip);
    if (ok) failures.delete(key);
    else failures.set(key, { count: (failures.get(key)?.count ?? 0) + 1, last: Date.now() });
  },

  // After a correct password: true means "change it before you get a session" (403 with
  // mustChangePassword: true; POST /change-password sets a new one, checked by checkPassword).
  mustChangePassword(password) {
    return passwordProblem(password) !== null;
  },`;

const SECURITY_TXT = `

  // Served as text/plain at GET /.well-known/security.txt (RFC 9116): how a researcher who
  // finds a hole reaches the company. Contact and Expires are required; Expires must be less
  // than a year ahead, so the file is reviewed at least once a year.
  securityTxt: [
    'Contact: mailto:security@cloudpets.example',
    'Contact: https://cloudpets.example/security',
    \`Expires: \${new Date(Date.now() + 180 * 24 * 3600 * 1000).toISOString().replace(/\\.\\d{3}Z$/, 'Z')}\`,
    'Preferred-Languages: en',
    'Policy: https://cloudpets.example/security/disclosure-policy',
    '',
  ].join('\\n'),`;

function replaceOnce(text: string, from: string, to: string, what: string): string {
  if (!text.includes(from)) throw new Error(`starting-app.js changed: cannot find ${what}; update build-solution-apps.ts`);
  return text.replace(from, to);
}

function titled(text: string, title: string): string {
  return replaceOnce(text, '// CloudPets app backend, as it ran in 2016.', `// CloudPets app backend, ${title}.`, 'the title line');
}

/** lab id -> its solution app.js */
export function solutionApps(starting = readFileSync(STARTING_APP, 'utf8')): Record<string, string> {
  const locked = (text: string) => replaceOnce(text, RECORDING_LINK_2016, LOCKED_LINK, 'recordingLink');
  const policy = (text: string) => replaceOnce(replaceOnce(text, EXPORTS, POLICY_PRELUDE, 'module.exports'), CHECK_PASSWORD_2016, POLICY_HOOKS, 'checkPassword');
  const securityTxt = (text: string) => replaceOnce(text, RECORDING_LINK_2016, RECORDING_LINK_2016 + SECURITY_TXT, 'recordingLink');
  const lockedWithTxt = (text: string) => replaceOnce(text, RECORDING_LINK_2016, LOCKED_LINK + SECURITY_TXT, 'recordingLink');
  return {
    'lock-bucket': titled(locked(starting), 'with the recordings locked (lab lock-bucket)'),
    'password-policy': titled(policy(starting), 'with a password policy (lab password-policy)'),
    'detect-and-respond': titled(securityTxt(starting), 'now reachable by researchers (lab detect-and-respond)'),
    capstone: titled(lockedWithTxt(policy(starting)), 'with every fix of the course (lab capstone)'),
  };
}

export const solutionAppPath = (labId: string): string => join(LABS, labId, 'solution', 'api', 'app.js');

const BUILD_SOLUTION_APPS: ProgramSpec = {
  name: 'build-solution-apps',
  helpCommand: 'npx tsx sandboxes/labs/build-solution-apps.ts --help',
  usage: `usage: npx tsx sandboxes/labs/build-solution-apps.ts

Rewrites each lab's solution/api/app.js from the world's 2016 app plus the lab's fix.

  -h, --help    show this help`,
};

function writeSolutionApps(): void {
  const starting = readFileSync(STARTING_APP, 'utf8');
  for (const [labId, text] of Object.entries(solutionApps(starting))) {
    mkdirSync(dirname(solutionAppPath(labId)), { recursive: true });
    writeFileSync(solutionAppPath(labId), text);
  }
  // The starting files are not copied into each lab any more: sandboxes/lab-folder/starting-files.ts
  // assembles them from the world's 2016 tree when a lab folder is made.
  console.log('solution app.js files rebuilt from', dirname(STARTING_APP));
}

if (isMainModule(import.meta.url)) {
  const read = readCommandLine(BUILD_SOLUTION_APPS, process.argv.slice(2), () => undefined);
  if (read.ok) writeSolutionApps();
  else process.exitCode = read.exitCode;
}
