/**
 * Checks for the password policy (password-policy, capstone), all through the API as a
 * phone app would call it: sign up with the passwords that fell in the cracking lab and with
 * common ones, sign up with a strong passphrase, hammer one account with wrong passwords, and
 * log in as a parent whose password is on the list.
 */
import { randomBytes } from 'node:crypto';
import type { Check } from '../types.ts';
import type { CheckContext } from '../context.ts';
import { WEAK_PASSWORDS } from '../../world/dataset/weak-passwords.ts';
import { API, apiLogin, apiSignup, describeResponse } from '../probes/app-api.ts';
import { knownParents, seededFacts } from '../seeded-world.ts';
import { judgeStoredPassword, storedHash } from '../probes/stored-password.ts';
import { LEARNER_ADDRESS, PARENT_HOME_ADDRESS } from '../../world/network/hosts.ts';

/**
 * Common passwords a length rule cannot reject: 8+ characters (the 2017 rule) and, since
 * lesson 9 follows NIST SP 800-63B-4's 15 characters, some of 15+ (all on the lab's list), so
 * only the blocklist can refuse every one of them.
 */
const COMMON_LONG_PASSWORDS = ['password1', 'sunshine', 'football', 'iloveyou1', 'princess1', 'baseball', 'qwertyuiop', 'superman', 'trustno1', 'letmein123', 'passwordpassword', 'qwertyuiopasdfgh', 'cloudpetscloudpets'];
const STRONG_PASSPHRASE = 'purple teddy sings at 7 bells';

const probeEmail = (tag: string): string => `policy-check-${tag}-${randomBytes(4).toString('hex')}@example.com`;

async function signupAccepted(ctx: CheckContext, password: string, tag: string): Promise<{ accepted: boolean; status: number; words: string; email: string }> {
  const email = probeEmail(tag);
  const result = await apiSignup(ctx, email, password);
  return { accepted: result.status >= 200 && result.status < 300, status: result.status, words: describeResponse(result), email };
}

function rejectsAll(id: string, title: string, hint: string, anchor: string, passwords: () => string[]): Check {
  return {
    id,
    title,
    hint,
    lessonAnchor: anchor,
    timeoutMs: 40_000,
    async run(ctx) {
      const accepted: string[] = [];
      let refusedWith = '';
      for (const password of passwords()) {
        const outcome = await signupAccepted(ctx, password, id);
        if (outcome.status >= 500) return { pass: false, reason: `signing up with "${password}" made the API fail: ${outcome.words}` };
        if (outcome.accepted) accepted.push(password);
        else refusedWith ||= outcome.words;
      }
      if (accepted.length > 0) return { pass: false, reason: `the API accepted new accounts with ${accepted.map((p) => `"${p}"`).join(', ')}` };
      return { pass: true, reason: `every sign-up was refused (${refusedWith})` };
    },
  };
}

export function rejectsCrackedPasswords(anchor: string): Check {
  return rejectsAll('rejects-cracked-passwords', 'The passwords that fell in the cracking lab are refused', 'Refuse any password on the list of cracked passwords (qwe, cloudpets, 123456, ...) at sign-up and password change.', anchor, () => [...WEAK_PASSWORDS]);
}

export function rejectsCommonPasswords(anchor: string): Check {
  return rejectsAll('rejects-common-passwords', 'Common passwords are refused, however long', 'Load api/common-passwords.txt and refuse any password on it (compare in lower case).', anchor, () => COMMON_LONG_PASSWORDS);
}

export function rejectsShortPasswords(anchor: string): Check {
  // NIST SP 800-63B-4: 15 characters for a password that is the only factor, counted in
  // Unicode code points. The ten bears are 20 UTF-16 units but 10 characters: a rule that
  // counts with .length lets them through, so this check tells the two ways of counting apart.
  return rejectsAll('rejects-short-passwords', 'Passwords shorter than 15 characters are refused', 'Refuse passwords with fewer than 15 characters, counted as Unicode code points ([...password].length), not UTF-16 units (password.length).', anchor, () => ['Zq7#tk2', 'b9!Lm', 'Zq7#tk2Lm9!pQx', '\u{1F43B}'.repeat(10)]);
}

export function acceptsStrongPassphrase(anchor: string): Check {
  return {
    id: 'accepts-passphrase',
    title: 'A strong passphrase is accepted, stored with bcrypt, and logs in',
    hint: 'Keep hashing with bcrypt (cost 10 or more); only refuse weak passwords.',
    lessonAnchor: anchor,
    timeoutMs: 30_000,
    async run(ctx) {
      const outcome = await signupAccepted(ctx, STRONG_PASSPHRASE, 'strong');
      if (!outcome.accepted) return { pass: false, reason: `signing up with the passphrase "${STRONG_PASSPHRASE}" was refused: ${outcome.words}` };
      const login = await apiLogin(ctx, outcome.email, STRONG_PASSPHRASE);
      if (!login.token) return { pass: false, reason: `the new account could not log in: ${describeResponse(login.result)}` };
      const stored = await storedHash(ctx, outcome.email);
      if ('problem' in stored) return { pass: false, reason: stored.problem };
      const verdict = await judgeStoredPassword(stored.hash, STRONG_PASSPHRASE);
      if (!verdict.ok) return { pass: false, reason: verdict.problem };
      return { pass: true, reason: `the passphrase was accepted, stored as bcrypt cost ${verdict.cost}, and logs in` };
    },
  };
}

export function slowsRepeatedFailures(anchor: string): Check {
  return {
    id: 'slows-repeated-failures',
    title: 'Repeated failed logins are slowed down',
    hint: 'Count failed logins per e-mail; after 5, answer 429 Too Many Requests (with Retry-After) for a while.',
    lessonAnchor: anchor,
    timeoutMs: 60_000,
    async run(ctx) {
      const seeded = seededFacts(ctx);
      if (!seeded) return { pass: false, reason: '.lab/seeded.json is missing, so no account can be tried' };
      const [victim] = knownParents(seeded.options, 1, 2);
      if (!victim) return { pass: false, reason: 'no parent to try' };
      const attempts = 12;
      for (let i = 1; i <= attempts; i++) {
        const started = Date.now();
        const login = await apiLogin(ctx, victim.email, `wrong-guess-${i}`);
        const took = Date.now() - started;
        if (login.token) return { pass: false, reason: `a wrong password logged ${victim.email} in` };
        if (login.result.status === 429) return { pass: true, reason: `after ${i - 1} failed logins the API answered HTTP 429${login.result.headers['retry-after'] ? ` (Retry-After: ${String(login.result.headers['retry-after'])})` : ''}` };
        if (took >= 2000) return { pass: true, reason: `after ${i - 1} failed logins the API took ${(took / 1000).toFixed(1)} s to answer` };
      }
      return { pass: false, reason: `${attempts} wrong passwords in a row for ${victim.email} were all answered at once, with no slow-down` };
    },
  };
}

export function weakPasswordMustChange(anchor: string): Check {
  return {
    id: 'weak-password-must-change',
    title: 'Parents whose password is on the list must change it at next login',
    hint: 'At login, if the (correct) password is on the list, answer 403 with {"mustChangePassword": true} and no session; POST /change-password sets a new one.',
    lessonAnchor: anchor,
    timeoutMs: 30_000,
    async run(ctx) {
      const seeded = seededFacts(ctx);
      if (!seeded) return { pass: false, reason: '.lab/seeded.json is missing, so no parent can be tried' };
      // Earlier runs changed some of these passwords: take the first parent still on a listed one.
      let parent;
      let login;
      for (const candidate of knownParents(seeded.options, 12, 4)) {
        const attempt = await apiLogin(ctx, candidate.email, candidate.password);
        if (attempt.result.status === 401 || attempt.result.status === 429) continue;
        parent = candidate;
        login = attempt;
        break;
      }
      if (!parent || !login) return { pass: false, reason: 'no parent with a listed password could be tried (all were refused as wrong passwords)' };
      const body = login.result.json as { mustChangePassword?: boolean } | undefined;
      if (login.token) return { pass: false, reason: `${parent.email} logged in with "${parent.password}" and got a normal session` };
      if (body?.mustChangePassword !== true) return { pass: false, reason: `logging in with a listed password should say mustChangePassword: true, got ${describeResponse(login.result)}` };
      const newPassword = `${STRONG_PASSPHRASE} ${randomBytes(2).toString('hex')}`;
      const change = await ctx.http({ method: 'POST', url: `${API}/change-password`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: parent.email, password: parent.password, newPassword }) });
      if (change.status !== 200) return { pass: false, reason: `changing the password failed: ${describeResponse(change)}` };
      const again = await apiLogin(ctx, parent.email, newPassword);
      if (!again.token) return { pass: false, reason: `after changing the password, logging in failed: ${describeResponse(again.result)}` };
      const old = await apiLogin(ctx, parent.email, parent.password);
      if (old.token || old.result.status === 403) return { pass: false, reason: 'the old password still works after the change' };
      return { pass: true, reason: `${parent.email} was asked to change "${parent.password}", changed it, and logged in with the new one` };
    },
  };
}

/** The cracking lab's haul replayed: every cracked e-mail:password pair tried against the API. */
export function crackedListSprayFails(anchor: string): Check {
  return {
    id: 'cracked-list-spray-fails',
    title: 'Logging in with the cracked e-mail:password pairs gets no session',
    hint: 'Make mustChangePassword(password) return true for a listed password: the parent must choose a new one before getting a session.',
    lessonAnchor: anchor,
    timeoutMs: 40_000,
    async run(ctx) {
      const seeded = seededFacts(ctx);
      if (!seeded) return { pass: false, reason: '.lab/seeded.json is missing, so the cracked pairs cannot be replayed' };
      const pairs = knownParents(seeded.options, 8);
      const opened: string[] = [];
      const answers = new Set<number>();
      for (const pair of pairs) {
        const login = await apiLogin(ctx, pair.email, pair.password);
        if (login.result.status >= 500) return { pass: false, reason: `the API failed on a login: ${describeResponse(login.result)}` };
        if (login.token) opened.push(`${pair.email}:${pair.password}`);
        answers.add(login.result.status);
      }
      if (opened.length > 0) return { pass: false, reason: `${opened.length} of ${pairs.length} cracked pairs still open a session (first: ${opened[0]})` };
      return { pass: true, reason: `none of ${pairs.length} cracked pairs got a session (answers: HTTP ${[...answers].sort().join(', ')})` };
    },
  };
}

/**
 * The throttle must slow the attacker without handing them a way to lock a parent out: an
 * attacker at the learner's address hammers a parent's account with wrong passwords, then the
 * real parent logs in from their home network with the right one. A throttle keyed on the
 * e-mail alone refuses the parent (429): that fails, as does no throttle at all.
 */
export function throttleSparesParent(anchor: string): Check {
  return {
    id: 'throttle-spares-parent',
    title: 'The attacker is slowed, and the real parent still gets in from their own address',
    hint: 'Count failed logins per account and source address (beforeLogin/afterLogin get { ip }), not per e-mail alone: otherwise anyone who knows a parent\'s e-mail can lock them out.',
    lessonAnchor: anchor,
    timeoutMs: 60_000,
    async run(ctx) {
      // A parent of its own with a strong passphrase: whatever the policy, this one logs in.
      const password = `${STRONG_PASSPHRASE} ${randomBytes(3).toString('hex')}`;
      const email = probeEmail('throttle');
      const signup = await apiSignup(ctx, email, password);
      if (signup.status < 200 || signup.status >= 300) return { pass: false, reason: `could not create a parent to protect (sign-up with a strong passphrase): ${describeResponse(signup)}` };
      const attempts = 12;
      // A throttle may answer 429 or simply take its time. "Took its time" is measured against
      // this app's own first failed login (bcrypt on a busy machine can take a second or more
      // by itself), so load alone does not pass for a throttle.
      let firstMs: number | undefined;
      const slow = (ms: number): boolean => ms >= Math.max(2000, 3 * (firstMs ?? 0));
      let guesses = 0;
      /** Wrong passwords from the attacker until the app slows them: how many got through first, or why it failed. */
      const slowTheAttacker = async (): Promise<{ slowedAfter: number } | { failure: string }> => {
        for (let i = 1; i <= attempts; i++) {
          const started = Date.now();
          const guess = await apiLogin(ctx, email, `wrong-guess-${++guesses}`);
          const tookMs = Date.now() - started;
          if (guess.token) return { failure: `a wrong password logged ${email} in` };
          if (guess.result.status === 429 || (firstMs !== undefined && slow(tookMs))) return { slowedAfter: i - 1 };
          firstMs ??= tookMs;
        }
        return { failure: `the attacker (${LEARNER_ADDRESS}) tried ${attempts} wrong passwords for ${email} and was never slowed down` };
      };
      const slowing = await slowTheAttacker();
      if ('failure' in slowing) return { pass: false, reason: slowing.failure };
      const { slowedAfter } = slowing;
      // The attacker's right password comes straight after the throttle showed itself, before the
      // parent's login: a short first back-off (a second or two) must not run out while the
      // parent's login is checked, or a sound throttle would look like one that does not hold.
      const againStarted = Date.now();
      const again = await apiLogin(ctx, email, password);
      if (again.token && !slow(Date.now() - againStarted)) return { pass: false, reason: `the attacker's address (${LEARNER_ADDRESS}) was slowed, but the right password from it still got a session at once, so the throttle does not hold` };
      // A throttle that makes the attacker wait, then lets the right password in, may rightly
      // forget the failures: slow the attacker down again before the parent tries.
      if (again.token) {
        const slowedAgain = await slowTheAttacker();
        if ('failure' in slowedAgain) return { pass: false, reason: `after the attacker's right password got in (slowly), ${slowedAgain.failure}` };
      }
      const parentStarted = Date.now();
      const parent = await apiLogin(ctx, email, password, { from: 'parent-home' });
      const parentMs = Date.now() - parentStarted;
      if (parent.result.status === 429) {
        return { pass: false, reason: `after ${slowedAfter} failed logins from the attacker (${LEARNER_ADDRESS}), the real parent logging in from home (${PARENT_HOME_ADDRESS}) with the right password got HTTP 429 too: the throttle is keyed on the e-mail alone, so an attacker can lock any parent out` };
      }
      if (!parent.token) return { pass: false, reason: `the real parent, from home (${PARENT_HOME_ADDRESS}) with the right password, got ${describeResponse(parent.result)}` };
      if (slow(parentMs)) {
        return { pass: false, reason: `the real parent, from home (${PARENT_HOME_ADDRESS}) with the right password, got in but only after ${(parentMs / 1000).toFixed(1)} s: the attacker's failures slow the parent too, so the throttle is keyed on the e-mail alone` };
      }
      return { pass: true, reason: `the attacker (${LEARNER_ADDRESS}) was slowed after ${slowedAfter} failed logins (then HTTP ${again.result.status}); the real parent from home (${PARENT_HOME_ADDRESS}) logged in at once` };
    },
  };
}
