import { Long } from 'bson';
import { cursorIdOf } from '../cursors.ts';
import { CommandError } from '../errors.ts';
import type { CommandHandler } from './command.ts';
import { ownerOf } from './helpers/cursor-owner.ts';
import { onCollection } from './helpers/privileges.ts';

/**
 * killCursors: closes the caller's own cursors. Another user's cursor is refused, as mongod
 * refuses it (the whole command, before anything is killed); a cursor of another namespace
 * is "not found".
 */
export const killCursors: CommandHandler = {
  name: 'killCursors',
  auth: (ctx) => onCollection(ctx, ctx.cmd.killCursors, 'find'),
  ns: (ctx) => `${ctx.db}.${String(ctx.cmd.killCursors)}`,
  run: (ctx) => {
    const ids = Array.isArray(ctx.cmd.cursors) ? ctx.cmd.cursors.map(cursorIdOf) : [];
    const ns = `${ctx.db}.${String(ctx.cmd.killCursors)}`;
    const owner = ownerOf(ctx);
    const { cursors } = ctx.server;
    for (const id of ids) {
      const cursor = cursors.describe(id);
      if (cursor && cursor.ns === ns && cursor.owner !== owner) throw new CommandError('Unauthorized', `not authorized to kill cursor on ${ns}`);
    }
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) {
      const found = cursors.describe(id)?.ns === ns && cursors.kill(id);
      (found ? killed : notFound).push(Long.fromBigInt(id));
    }
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  },
};
