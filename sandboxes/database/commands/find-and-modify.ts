import { deserialize, Int32, type Document } from 'bson';
import { CommandError } from '../errors.ts';
import { asStored, updatedDocument, upsertDocument } from '../query/apply-update.ts';
import { project, selectDocuments } from '../query/select.ts';
import type { CommandHandler } from './command.ts';
import { collectionArg } from './helpers/arguments.ts';
import { commandWithInt64, updateSpecWithInt64 } from './helpers/int64-command.ts';
import { onCollection } from './helpers/privileges.ts';
import { checkStorable, targetCollection } from './helpers/write-batch.ts';

export const findAndModify: CommandHandler = {
  name: 'findAndModify',
  aliases: ['findandmodify'],
  auth: (ctx) => {
    const coll = ctx.cmd.findAndModify ?? ctx.cmd.findandmodify;
    return onCollection(ctx, coll, 'find', ctx.cmd.remove ? 'remove' : 'update', ...(ctx.cmd.upsert ? ['insert' as const] : []));
  },
  ns: (ctx) => `${ctx.db}.${String(ctx.cmd.findAndModify ?? ctx.cmd.findandmodify)}`,
  run: (ctx) => {
    const name = collectionArg(ctx);
    const { cmd } = ctx;
    const { store } = ctx.server;
    if (cmd.remove && cmd.update !== undefined) throw new CommandError('FailedToParse', 'Cannot specify both an update and remove=true');
    if (!cmd.remove && cmd.update === undefined) throw new CommandError('FailedToParse', 'Either an update or remove=true must be specified');
    if (cmd.remove && cmd.upsert) throw new CommandError('FailedToParse', 'Cannot specify both upsert=true and remove=true');
    const coll = targetCollection(ctx, name, Boolean(cmd.upsert));
    const [match] = selectDocuments(coll, cmd.query ?? {}, { sort: cmd.sort as Document | undefined, limit: 1, scripts: ctx.scripts });
    const shape = (doc: Document | undefined) => (doc ? project([doc], cmd.fields)[0] ?? null : null);

    if (cmd.remove) {
      if (match) store.remove(coll!, match);
      return { lastErrorObject: { n: new Int32(match ? 1 : 0) }, value: shape(match), ok: 1 };
    }
    const u = updateSpecWithInt64(cmd.update, commandWithInt64(ctx).update);
    if (!match) {
      if (!cmd.upsert || !coll) return { lastErrorObject: { n: new Int32(0), updatedExisting: false }, value: null, ok: 1 };
      const { doc, raw } = asStored(upsertDocument((cmd.query as Document) ?? {}, u, cmd.arrayFilters as Document[] | undefined));
      checkStorable(raw, 'insert');
      store.insert(coll, doc, raw);
      return {
        lastErrorObject: { n: new Int32(1), updatedExisting: false, upserted: doc._id },
        value: cmd.new ? shape(deserialize(raw, { promoteLongs: false })) : null,
        ok: 1,
      };
    }
    // Both versions are answered with their int64 values as stored.
    const before = deserialize(coll!.rawOf(match), { promoteLongs: false });
    const { doc: next, raw } = asStored(updatedDocument(match, coll!.rawOf(match), u, cmd.arrayFilters as Document[] | undefined));
    checkStorable(raw, 'update');
    store.replace(coll!, match, next, raw);
    return { lastErrorObject: { n: new Int32(1), updatedExisting: true }, value: shape(cmd.new ? deserialize(raw, { promoteLongs: false }) : before), ok: 1 };
  },
};
