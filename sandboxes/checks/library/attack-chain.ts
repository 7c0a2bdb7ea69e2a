/**
 * The capstone's promise: the whole 2017 attack, replayed in the order it happened, fails at
 * every step. Each step is the same replay a single check makes (so the two never disagree),
 * run one after the other against the learner's world; the reason reports every step's
 * outcome in order, and the check passes only when every step was stopped.
 */
import type { Check, CheckOutcome } from '../types.ts';
import type { CheckContext } from '../context.ts';
import { anonymousFindFromInternet, scanBannerQuiet } from './database-checks.ts';
import { anonymousGetDenied, anonymousListDenied, oldPublicUrlFails } from './bucket-checks.ts';
import { crackedListSprayFails } from './password-checks.ts';

/** The attack of 2016-2017, in order: find the database, read it, then the recordings, then the accounts. */
const ATTACK_STEPS: readonly { step: string; check: (anchor: string) => Check }[] = [
  { step: 'scan finds an open database', check: scanBannerQuiet },
  { step: 'anonymous read of the accounts', check: anonymousFindFromInternet },
  { step: 'anonymous download of a recording', check: anonymousGetDenied },
  { step: 'anonymous listing of the bucket', check: anonymousListDenied },
  { step: 'the old public recording URL', check: oldPublicUrlFails },
  { step: 'logging in with the cracked e-mail:password list', check: crackedListSprayFails },
];

interface ChainStepOutcome extends CheckOutcome {
  step: string;
}

async function replayAttackChain(ctx: CheckContext, anchor: string): Promise<ChainStepOutcome[]> {
  const outcomes: ChainStepOutcome[] = [];
  for (const { step, check } of ATTACK_STEPS) {
    let outcome: CheckOutcome;
    try {
      outcome = await check(anchor).run(ctx);
    } catch (error) {
      outcome = { pass: false, reason: `could not finish: ${(error as Error).message}` };
    }
    outcomes.push({ step, ...outcome });
  }
  return outcomes;
}

export function attackChainFails(anchor: string): Check {
  return {
    id: 'attack-chain-fails',
    title: 'The whole attack, replayed in order, fails at every step',
    hint: 'Each step names the fix it needs: lock the database (lesson 7), the bucket (lesson 8) and the passwords (lesson 9), then run the checks again.',
    lessonAnchor: anchor,
    timeoutMs: 150_000,
    async run(ctx) {
      const outcomes = await replayAttackChain(ctx, anchor);
      const lines = outcomes.map((o, i) => `${i + 1}. ${o.step}: ${o.pass ? 'stopped' : 'GOT THROUGH'} (${o.reason})`);
      const through = outcomes.findIndex((o) => !o.pass);
      if (through >= 0) return { pass: false, reason: `the attack got through at step ${through + 1} (${outcomes[through]!.step}): ${lines.join('; ')}` };
      return { pass: true, reason: `every step was stopped, in order: ${lines.join('; ')}` };
    },
  };
}
