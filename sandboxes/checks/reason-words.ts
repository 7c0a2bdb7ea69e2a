/** Shared wording for reason lines, so every lab describes the same observation the same way. */
import type { CommandOutcome } from './probes/mongo.ts';

export function refusedOrDenied(outcome: CommandOutcome): { blocked: boolean; words: string } {
  if (outcome.ok) return { blocked: false, words: 'the server answered' };
  if (outcome.unreachable) return { blocked: true, words: outcome.message };
  if (outcome.code === 13) return { blocked: true, words: `the server refused with code 13 (${outcome.codeName ?? 'Unauthorized'}): ${outcome.message}` };
  return { blocked: true, words: `the server refused with code ${outcome.code ?? '?'}: ${outcome.message}` };
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
