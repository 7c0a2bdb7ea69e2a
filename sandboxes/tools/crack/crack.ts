/**
 * `crack`: a bcrypt wordlist attack with hashcat's look (status block, hash:password lines).
 * It tries every word against every hash that is still uncracked, words in the outer loop so
 * the weakest passwords of all users fall first. bcryptjs is the pure-JS bcrypt the lab's
 * database and app also use.
 */
import bcrypt from 'bcryptjs';
import { appendFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { ToolIO } from '../program/tool-io.ts';
import { flag, integerOption, stringOption, openCommandLine } from '../../command-line/arguments.ts';
import { HashInputError, readHashTargets, readWordlist, type HashTarget } from './hash-targets.ts';
import { formatStatus, type CrackStatus } from './status-block.ts';
import { TINY_WORDLIST } from './tiny-wordlist.ts';

export const CRACK_EXIT = { allRecovered: 0, exhausted: 1, usage: 2, io: 3, aborted: 4 } as const;

export const CRACK_HELP = `Usage: crack --hashes FILE [--field NAME] [--wordlist FILE] [options]
Try a wordlist against bcrypt hashes, like hashcat -m 3200 -a 0.

Input:
  --hashes FILE          the hashes: one bcrypt hash per line, or with --field the JSON lines
                         that mongoexport wrote (a positional FILE works too)
  --field NAME           JSON lines: the field holding the hash (e.g. password; dotted paths ok)
  --user-field NAME      JSON lines: the field shown next to a cracked password (default email)
  --username             plain file lines are user:hash (hashcat --username)
  --wordlist FILE        candidate passwords, one per line (default: the built-in tiny list:
                         ${TINY_WORDLIST.slice(0, 6).join(', ')} ... ${TINY_WORDLIST.length} words)
Output:
  --out FILE             also append the cracked lines to FILE
  --limit-hashes N       attack only the first N hashes (bcrypt is slow on purpose)
  --status-timer SECS    print the status block every SECS seconds while running (default 10)
  --quiet                only the cracked lines, no status block
  -h, --help             this help

Output lines are hash:password, or email:password when the input named the user.

Why it is slow: bcrypt gives every hash its own random salt (the 22 characters after the cost),
so one guess cannot be checked against many hashes at once: each word must be hashed again
for every hash. Each of those hashes costs 2^cost rounds of Blowfish key setup ($2b$10$ =
1024 rounds), which is why the speed below is a few dozen guesses per second, not billions
as for unsalted MD5. Weak passwords still fall first: that is the lesson.

Exit codes (as hashcat's): 0 every hash recovered, 1 wordlist exhausted with hashes left,
2 bad arguments or input file (not found, no bcrypt hash in it), 3 cannot write --out,
4 stopped with Ctrl+C (the status block shows how far it got).`;

export async function crackMain(argv: string[], io: ToolIO): Promise<number> {
  const parsed = openCommandLine({ name: 'crack', help: CRACK_HELP, usageExit: CRACK_EXIT.usage, io }, argv, {
    hashes: { type: 'string' },
    field: { type: 'string' },
    'user-field': { type: 'string' },
    username: { type: 'boolean' },
    wordlist: { type: 'string', short: 'w' },
    out: { type: 'string', short: 'o' },
    'limit-hashes': { type: 'string' },
    'status-timer': { type: 'string' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const fail = (message: string, code: number = CRACK_EXIT.usage) => {
    io.stderr.write(`crack: ${message}\n`);
    return code;
  };

  const hashesName = stringOption(values, 'hashes') ?? positionals[0];
  if (!hashesName) return fail(`no hashes given: use --hashes FILE (try 'crack --help')`);
  if (positionals.length > (stringOption(values, 'hashes') ? 0 : 1)) return fail(`unexpected argument '${positionals.at(-1)}'`);
  let limit: number | undefined;
  let statusTimer: number;
  try {
    limit = integerOption('crack', values, 'limit-hashes', 1);
    statusTimer = integerOption('crack', values, 'status-timer', 1) ?? 10;
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n`);
    return CRACK_EXIT.usage;
  }

  let targets: HashTarget[];
  let words: readonly string[];
  const wordlistName = stringOption(values, 'wordlist');
  try {
    const input = readHashTargets(resolvePath(io.cwd, hashesName), hashesName, {
      field: stringOption(values, 'field'),
      userField: stringOption(values, 'user-field') ?? 'email',
      username: flag(values, 'username'),
    });
    for (const warning of input.warnings.slice(0, 10)) io.stderr.write(`crack: ${hashesName}: ${warning}\n`);
    if (input.warnings.length > 10) io.stderr.write(`crack: ${hashesName}: ... ${input.warnings.length - 10} more lines skipped\n`);
    targets = limit ? input.targets.slice(0, limit) : input.targets;
    words = wordlistName ? readWordlist(resolvePath(io.cwd, wordlistName), wordlistName) : TINY_WORDLIST;
  } catch (error) {
    if (error instanceof HashInputError) return fail(error.message);
    throw error;
  }

  const outPath = stringOption(values, 'out');
  if (outPath) {
    try {
      appendFileSync(resolvePath(io.cwd, outPath), '');
    } catch (error) {
      return fail(`cannot write --out ${outPath}: ${(error as Error).message}`, CRACK_EXIT.io);
    }
  }
  const quiet = flag(values, 'quiet');

  // Identical hash strings share their salt, so one check settles them all (hashcat dedupes
  // the same way); distinct bcrypt hashes never share a salt, so nothing else can be grouped.
  const groups = new Map<string, HashTarget[]>();
  for (const target of targets) groups.set(target.hash, [...(groups.get(target.hash) ?? []), target]);
  const unique = [...groups.keys()];

  const status: CrackStatus = {
    state: 'Running',
    target: `${hashesName}${stringOption(values, 'field') ? ` (field ${stringOption(values, 'field')})` : ''}`,
    guessBase: wordlistName ? `File (${wordlistName})` : `Built-in (tiny, ${words.length} words)`,
    startedAt: Date.now(),
    now: Date.now(),
    attempts: 0,
    // Every word against every unique hash; shrinks as cracked hashes leave the inner loop.
    plannedAttempts: words.length * unique.length,
    recovered: 0,
    total: targets.length,
    costs: [...new Set(targets.map((target) => target.cost))].sort((a, b) => a - b),
    wordIndex: 0,
    words: words.length,
  };
  if (!quiet) {
    io.stdout.write(`crack: bcrypt (hashcat mode 3200), ${words.length} words\n`);
    io.stdout.write(`Hashes: ${targets.length} digests; ${unique.length} unique digests, ${unique.length} unique salts\n`);
    io.stdout.write('crack: every bcrypt hash has its own salt, so each word is hashed once per unique hash\n\n');
  }

  const remaining = new Set(unique);
  let lastStatus = Date.now();
  for (const [wordIndex, word] of words.entries()) {
    status.wordIndex = wordIndex + 1;
    const order = [...remaining];
    for (const [position, hash] of order.entries()) {
      status.attempts++;
      if (bcrypt.compareSync(word, hash)) {
        remaining.delete(hash);
        const owners = groups.get(hash)!;
        status.recovered += owners.length;
        status.plannedAttempts = status.attempts + remaining.size * (words.length - wordIndex - 1) + (order.length - position - 1);
        // A hash shared by several users is printed once per user, so every e-mail shows up.
        const lines = owners.some((owner) => owner.label) ? owners.map((owner) => `${owner.label ?? owner.hash}:${word}\n`) : [`${hash}:${word}\n`];
        for (const line of lines) {
          io.stdout.write(line);
          if (outPath) appendFileSync(resolvePath(io.cwd, outPath), line);
        }
      }
      if (!quiet && Date.now() - lastStatus >= statusTimer * 1000) {
        lastStatus = Date.now();
        status.now = lastStatus;
        io.stdout.write('\n' + formatStatus(status) + '\n');
      }
      // One bcrypt check takes tens of milliseconds: yielding after each keeps Ctrl+C and the
      // terminal responsive at no measurable cost.
      await new Promise((resolve) => setImmediate(resolve));
      if (io.signal?.aborted) break;
    }
    if (remaining.size === 0 || io.signal?.aborted) break;
  }
  if (io.signal?.aborted) {
    status.state = 'Aborted';
    status.now = Date.now();
    if (!quiet) io.stdout.write('\n' + formatStatus(status) + '\n');
    return CRACK_EXIT.aborted;
  }
  status.state = remaining.size === 0 ? 'Cracked' : 'Exhausted';
  status.now = Date.now();
  if (!quiet) io.stdout.write('\n' + formatStatus(status) + '\n');
  return remaining.size === 0 ? CRACK_EXIT.allRecovered : CRACK_EXIT.exhausted;
}


