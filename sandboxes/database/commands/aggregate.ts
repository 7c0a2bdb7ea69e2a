import type { Document } from 'bson';
import { CommandError } from '../errors.ts';
import { runPipeline, selectDocuments } from '../query/select.ts';
import type { CommandContext, CommandHandler, RequiredPrivilege } from './command.ts';
import { cursorBatchSize } from './helpers/arguments.ts';
import { ownerOf } from './helpers/cursor-owner.ts';
import { onCollection, onDb, pipelineCollections } from './helpers/privileges.ts';

/**
 * aggregate through mingo. A leading $match is answered first from the stored documents, so
 * countDocuments on a large collection does not hand every document to the pipeline. Every
 * collection the pipeline reads, at any depth ($lookup, $unionWith, inside $facet), is
 * checked like the one it runs on, and the runner serves no other.
 */
export const aggregate: CommandHandler = {
  name: 'aggregate',
  auth: (ctx: CommandContext) => {
    const privileges: RequiredPrivilege[] = typeof ctx.cmd.aggregate === 'string'
      ? onCollection(ctx, ctx.cmd.aggregate, 'find')
      : [{ action: 'inprog', resource: { cluster: true } }];
    for (const name of pipelineCollections(ctx.cmd.pipeline)) privileges.push(...onCollection(ctx, name, 'find'));
    const pipeline = Array.isArray(ctx.cmd.pipeline) ? (ctx.cmd.pipeline as Document[]) : [];
    if (pipeline.some((s) => s && ('$out' in s || '$merge' in s))) privileges.push(...onDb(ctx, 'insert', 'remove'));
    return privileges;
  },
  ns: (ctx) => `${ctx.db}.${typeof ctx.cmd.aggregate === 'string' ? ctx.cmd.aggregate : '$cmd.aggregate'}`,
  run: (ctx) => {
    const { cmd } = ctx;
    if (!Array.isArray(cmd.pipeline)) throw new CommandError('TypeMismatch', "'pipeline' option must be specified as an array");
    if (!cmd.cursor && !cmd.explain) {
      throw new CommandError('FailedToParse', "The 'cursor' option is required, except for aggregate with the explain argument");
    }
    if (typeof cmd.aggregate !== 'string') {
      // Collection-less aggregate: only $currentOp (mongosh's db.currentOp()); the lab runs no
      // long operations worth listing.
      const stage = (cmd.pipeline as Document[])[0];
      if (stage && '$currentOp' in stage) return ctx.server.cursors.firstBatch(`${ctx.db}.$cmd.aggregate`, [], undefined, ownerOf(ctx), undefined);
      throw new CommandError('InvalidNamespace', '{aggregate: 1} is only supported with $currentOp on the lab server');
    }
    let pipeline = cmd.pipeline as Document[];
    const coll = ctx.server.store.collection(ctx.db, cmd.aggregate);
    let input: Document[];
    const first = pipeline[0];
    if (first && '$match' in first && Object.keys(first).length === 1) {
      input = selectDocuments(coll, first.$match, { scripts: ctx.scripts });
      pipeline = pipeline.slice(1);
    } else if (first && '$collStats' in first) {
      // $collStats (mongosh's db.coll.stats()) describes the collection rather than reading it,
      // so no document is decoded.
      const size = coll?.dataSize() ?? 0;
      const count = coll?.size ?? 0;
      input = [{
        ns: `${ctx.db}.${cmd.aggregate}`, host: 'db.cloudpets.test:27017', localTime: new Date(),
        storageStats: { size, count, avgObjSize: count ? Math.round(size / count) : 0, storageSize: size, nindexes: coll?.indexes.length ?? 0, totalIndexSize: 0, totalSize: size, indexSizes: {} },
        count: { count },
      }];
      pipeline = pipeline.slice(1);
    } else {
      input = coll ? Array.from(coll.documents()) : [];
    }
    const out = pipeline.some((s) => '$out' in s || '$merge' in s);
    if (out) throw new CommandError('IllegalOperation', '$out and $merge are not supported by the lab server');
    const results = pipeline.length > 0 ? runPipeline(ctx.server.store, ctx.db, input, pipeline, pipelineCollections(cmd.pipeline)) : input;
    const source = pipeline.length === 0 ? coll : undefined;
    return ctx.server.cursors.firstBatch(`${ctx.db}.${cmd.aggregate}`, results, source, ownerOf(ctx), cursorBatchSize(cmd));
  },
};
