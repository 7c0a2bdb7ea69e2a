// CloudPets app backend, with a password policy (lab password-policy).
//
// The lab world runs this file as the app server behind api.cloudpets.test: it handles
// sign-up, login, the parent's pets and recordings, and calls the three settings below.
// Edit them in the labs; the world reloads this file when the lab restarts.
//
// Available here: `process.env` (MONGODB_URI comes from api/.env when that file exists).

// The password policy (lab password-policy): NIST SP 800-63B-4. The password is the only
// login factor here, so at least 15 characters, counted as Unicode code points (an emoji is one
// character, though JavaScript's .length counts it as two); not on the list of common passwords
// (api/common-passwords.txt, compared in lower case); no other composition rules, so a long
// passphrase always works.
const fs = require('node:fs');
const path = require('node:path');
const COMMON_PASSWORDS = new Set(
  fs
    .readFileSync(path.join(path.dirname(__filename), 'common-passwords.txt'), 'utf8')
    .split(/\r?\n/)
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
const throttleKey = (email, ip) => `${email} from ${ip}`;

module.exports = {
  // Where the app finds its database. The app runs on the database server, so it talks to
  // localhost. With `security.authorization: enabled` in mongod.conf it needs a user:
  //   mongodb://USER:PASSWORD@localhost:27017/cloudpets?authSource=admin
  mongodbUri: process.env.MONGODB_URI || 'mongodb://localhost:27017/cloudpets',

  // Password rule at sign-up: return a message explaining what is wrong to refuse the
  // password, or null to accept it. 2016: no rule at all, "qwe" is fine.
  checkPassword(password) {
    return passwordProblem(password);
  },

  // Before a login's password is checked: return { retryAfter: seconds } to answer 429
  // Too Many Requests (with Retry-After) without checking it.
  // `request.ip` is the address the attempt comes from.
  beforeLogin(email, request) {
    const entry = failures.get(throttleKey(email, request.ip));
    if (!entry || entry.count < FREE_FAILURES) return null;
    const wait = Math.min(900, 2 ** (entry.count - FREE_FAILURES)) * 1000 - (Date.now() - entry.last);
    return wait > 0 ? { retryAfter: Math.ceil(wait / 1000) } : null;
  },

  // After each login attempt: `ok` says whether the password was right.
  afterLogin(email, ok, request) {
    const key = throttleKey(email, request.ip);
    if (ok) failures.delete(key);
    else failures.set(key, { count: (failures.get(key)?.count ?? 0) + 1, last: Date.now() });
  },

  // After a correct password: true means "change it before you get a session" (403 with
  // mustChangePassword: true; POST /change-password sets a new one, checked by checkPassword).
  mustChangePassword(password) {
    return passwordProblem(password) !== null;
  },

  // The link the phone app gets to play a recording (GET /recordings/<id>/link and the
  // list in GET /me/recordings). `recording.url` is the public bucket URL stored in the
  // database, `recording.userId` the parent it belongs to, `user` the logged-in parent
  // asking. `presign(recording.key, seconds)` returns a link signed with the bucket owner's
  // key that stops working after `seconds` (at most 604800). Return null to refuse (404).
  // 2016: hand out the stored public URL of whatever recording is asked for; the URL works
  // for anyone who has it, forever.
  async recordingLink(recording, { presign, user }) {
    return recording.url;
  },

  // Later labs add optional settings here: beforeLogin(email, { ip }), afterLogin(email, ok, { ip }),
  // mustChangePassword(password) and securityTxt. The lab's instructions say when.
};
