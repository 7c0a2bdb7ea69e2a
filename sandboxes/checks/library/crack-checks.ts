/**
 * The cracking lab's evidence: e-mail:password pairs that open real accounts, verified with
 * bcrypt against the hashes stored in cloudpets.users (the same test the API's login makes).
 */
import bcrypt from 'bcryptjs';
import type { Check } from '../types.ts';
import { plural } from '../reason-words.ts';
import { OTHER_WORLD } from '../seeded-world.ts';
import { parseCrackedPairs } from '../learner-files/cracked-file.ts';
import { CRACKED_FILE } from '../learner-files/learner-file-names.ts';

const MIN_PAIRS = 3;
const MAX_VERIFIED = 25;

export function crackedPairsVerify(anchor: string): Check {
  return {
    id: 'cracked-pairs-verify',
    title: `You recovered at least ${MIN_PAIRS} real e-mail:password pairs`,
    hint: `Crack the exported hashes with the tiny word list, then write one "email:password" per line in ${CRACKED_FILE}.`,
    lessonAnchor: anchor,
    timeoutMs: 45_000,
    async run(ctx) {
      const text = ctx.readText(CRACKED_FILE);
      if (text === undefined) return { pass: false, reason: `${CRACKED_FILE} does not exist yet` };
      const pairs = parseCrackedPairs(text).slice(0, MAX_VERIFIED);
      if (pairs.length === 0) return { pass: false, reason: `${CRACKED_FILE} holds no "email:password" lines yet` };
      const client = await ctx.mongo('app');
      const users = client.db('cloudpets').collection('users');
      const wrong: string[] = [];
      let verified = 0;
      for (const pair of pairs) {
        const doc = await users.findOne({ email: pair.email }, { projection: { password: 1 } });
        if (!doc) wrong.push(`line ${pair.line}: your world has no account ${pair.email}`);
        else if (!(await bcrypt.compare(pair.password, String(doc.password)))) wrong.push(`line ${pair.line}: that is not ${pair.email}'s password`);
        else verified++;
      }
      if (wrong.length > 0) return { pass: false, reason: `${plural(verified, 'pair')} verified, but ${wrong.slice(0, 2).join('; ')}${verified === 0 ? ` (${OTHER_WORLD})` : ''}` };
      if (verified < MIN_PAIRS) return { pass: false, reason: `${plural(verified, 'pair')} verified against the stored bcrypt hashes; find at least ${MIN_PAIRS}` };
      return { pass: true, reason: `${plural(verified, 'pair')} verified against the stored bcrypt hashes` };
    },
  };
}
