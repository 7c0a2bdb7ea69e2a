/**
 * The detection lab's checks: the learner's answers compared with the theft the lab setup
 * replayed into the database log (../lab-setups/scripted-theft.ts), and security.txt fetched
 * from the API over HTTP and validated against RFC 9116.
 */
import type { Check } from '../types.ts';
import type { CheckContext } from '../context.ts';
import { anonymousCommandsFrom, isHandshake } from '../probes/db-log.ts';
import { OTHER_WORLD, variantsOf } from '../seeded-world.ts';
import { parseFindings } from '../learner-files/findings-file.ts';
import { FINDINGS_FILE } from '../learner-files/learner-file-names.ts';
import { API, describeResponse } from '../probes/app-api.ts';
import { validateSecurityTxt } from '../learner-files/security-txt.ts';

type Theft = { startedAt?: string; address: string; read: string[] } | undefined;
// Three checks ask; the log is read and parsed once per run (the theft predates the run).
const thefts = new WeakMap<CheckContext, Theft>();

function theftInLog(ctx: CheckContext): Theft {
  if (!thefts.has(ctx)) thefts.set(ctx, findTheft(ctx));
  return thefts.get(ctx);
}

/** The theft as the log shows it: the first read of CloudPets data from the internet, and what was read. */
function findTheft(ctx: CheckContext): Theft {
  // The thief's address is part of the learner's world (world-variants.ts).
  const thief = variantsOf(ctx).thiefAddress;
  const commands = anonymousCommandsFrom(ctx.dbLog(), thief).filter((c) => !isHandshake(c.name));
  const reads = commands.filter((c) => c.db === 'cloudpets' && c.collection && ['find', 'getMore', 'aggregate'].includes(c.name));
  if (reads.length === 0) return undefined;
  return { startedAt: commands[0]?.at ?? reads[0]!.at, address: thief, read: [...new Set(reads.map((c) => c.collection!))] };
}

const findings = (ctx: CheckContext): Map<string, string> => parseFindings(ctx.readText(FINDINGS_FILE));

export function theftStartFound(anchor: string): Check {
  return {
    id: 'found-when',
    title: 'You found when the theft started',
    hint: `Find the first command from the outside address in the database log; write "started: <its t.$date>" in ${FINDINGS_FILE}.`,
    lessonAnchor: anchor,
    async run(ctx) {
      const theft = theftInLog(ctx);
      if (!theft?.startedAt) return { pass: false, reason: 'the database log holds no theft to find ("Reset lab" replays it)' };
      const answer = findings(ctx).get('started');
      if (!answer) return { pass: false, reason: `${FINDINGS_FILE} has no "started:" line yet` };
      const given = Date.parse(answer);
      if (Number.isNaN(given)) return { pass: false, reason: `"${answer}" is not a date and time (use the log's format, e.g. 2026-01-07T10:15:00.000+00:00)` };
      const actual = Date.parse(theft.startedAt);
      const off = Math.abs(given - actual) / 1000;
      if (off > 60) return { pass: false, reason: `${answer} is ${Math.round(off)} s away from the first command of the theft in your log${off > 3600 ? ` (${OTHER_WORLD})` : ''}` };
      return { pass: true, reason: `${answer} matches the theft's first command in the log` };
    },
  };
}

export function theftAddressFound(anchor: string): Check {
  return {
    id: 'found-who',
    title: 'You found the address the theft came from',
    hint: `Look at attr.remote of the "Connection accepted" line for that connection; write "address: <ip>" in ${FINDINGS_FILE}.`,
    lessonAnchor: anchor,
    async run(ctx) {
      const theft = theftInLog(ctx);
      if (!theft) return { pass: false, reason: 'the database log holds no theft to find ("Reset lab" replays it)' };
      const answer = findings(ctx).get('address');
      if (!answer) return { pass: false, reason: `${FINDINGS_FILE} has no "address:" line yet` };
      const ip = answer.replace(/:\d+$/, '');
      return ip === theft.address ? { pass: true, reason: `${ip} is where the unauthenticated reads came from` } : { pass: false, reason: `the reads in your log did not come from ${ip} (the thief's address is part of your world: ${OTHER_WORLD})` };
    },
  };
}

export function theftScopeFound(anchor: string): Check {
  return {
    id: 'found-what',
    title: 'You found what was read',
    hint: `List the collections the outsider read, e.g. "read: cloudpets.users, cloudpets.recordings" in ${FINDINGS_FILE}.`,
    lessonAnchor: anchor,
    async run(ctx) {
      const theft = theftInLog(ctx);
      if (!theft) return { pass: false, reason: 'the database log holds no theft to find ("Reset lab" replays it)' };
      const answer = findings(ctx).get('read');
      if (!answer) return { pass: false, reason: `${FINDINGS_FILE} has no "read:" line yet` };
      const named = new Set(answer.split(/[,\s]+/).map((n) => n.trim().replace(/^cloudpets\./, '')).filter(Boolean));
      const missing = theft.read.filter((c) => !named.has(c));
      const wrong = [...named].filter((c) => !theft.read.includes(c));
      if (missing.length > 0) return { pass: false, reason: `the log also shows reads of ${missing.map((c) => `cloudpets.${c}`).join(', ')}` };
      if (wrong.length > 0) return { pass: false, reason: `the log shows no read of ${wrong.join(', ')} by the outsider` };
      return { pass: true, reason: `the outsider read ${theft.read.map((c) => `cloudpets.${c}`).join(' and ')}, as you wrote` };
    },
  };
}


export function securityTxtPublished(anchor: string): Check {
  return {
    id: 'security-txt',
    title: 'Researchers can find how to reach you: a valid /.well-known/security.txt',
    hint: 'Serve text/plain at /.well-known/security.txt from the API with a Contact: (mailto: or https:) and an Expires: less than a year ahead.',
    lessonAnchor: anchor,
    async run(ctx) {
      const result = await ctx.http({ url: `${API}/.well-known/security.txt` });
      if (result.status !== 200) return { pass: false, reason: `GET ${API}/.well-known/security.txt answered ${describeResponse(result)}` };
      const type = String(result.headers['content-type'] ?? '');
      if (!type.startsWith('text/plain')) return { pass: false, reason: `security.txt is served as "${type || 'no content type'}"; RFC 9116 wants text/plain` };
      const valid = validateSecurityTxt(result.text);
      if (!valid.ok) return { pass: false, reason: `security.txt is served, but ${valid.problem}` };
      return { pass: true, reason: `security.txt names ${valid.contact.join(', ')} and expires ${valid.expires.toISOString().slice(0, 10)}` };
    },
  };
}
