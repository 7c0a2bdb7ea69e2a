import { Int32, serialize, type Document } from 'bson';
import { CommandError } from '../errors.ts';
import { copyDocument, updatedDocument, upsertDocument } from '../query/apply-update.ts';
import { project, selectDocuments } from '../query/select.ts';
import { collectionArg, onCollection, type CommandHandler, scriptsOn } from './context.ts';
import { checkSize, targetCollection } from './write-helpers.ts';

export const findAndModify: CommandHandler = {
  name: 'findAndModify',
  aliases: ['findandmodify'],
  auth: (ctx) => {
    const coll = ctx.cmd.findAndModify ?? ctx.cmd.findandmodify;
    return [
      ...onCollection(ctx, coll, 'find'),
      ...onCollection(ctx, coll, ctx.cmd.remove ? 'remove' : 'update'),
      ...(ctx.cmd.upsert ? onCollection(ctx, coll, 'insert') : []),
    ];
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
    const [match] = selectDocuments(coll, cmd.query ?? {}, { sort: cmd.sort as Document | undefined, limit: 1, javascriptEnabled: scriptsOn(ctx) });
    const shape = (doc: Document | undefined) => (doc ? project([doc], cmd.fields)[0] ?? null : null);

    if (cmd.remove) {
      if (match) store.remove(coll!, match);
      return { lastErrorObject: { n: new Int32(match ? 1 : 0) }, value: shape(match), ok: 1 };
    }
    if (!match) {
      if (!cmd.upsert || !coll) return { lastErrorObject: { n: new Int32(0), updatedExisting: false }, value: null, ok: 1 };
      const doc = upsertDocument(store, ctx.db, (cmd.query as Document) ?? {}, cmd.update as Document, cmd.arrayFilters as Document[] | undefined);
      checkSize(serialize(doc));
      store.insert(coll, doc);
      return {
        lastErrorObject: { n: new Int32(1), updatedExisting: false, upserted: doc._id },
        value: cmd.new ? shape(doc) : null,
        ok: 1,
      };
    }
    const before = copyDocument(match, coll!.rawOf(match));
    const next = updatedDocument(store, ctx.db, match, coll!.rawOf(match), cmd.update as Document, cmd.arrayFilters as Document[] | undefined);
    checkSize(serialize(next));
    store.replace(coll!, match, next);
    return { lastErrorObject: { n: new Int32(1), updatedExisting: true }, value: shape(cmd.new ? next : before), ok: 1 };
  },
};
