import type { Document } from 'bson';
import type { Action } from '../../auth/roles.ts';
import { CommandError } from '../../errors.ts';
import type { CommandContext, RequiredPrivilege } from '../command.ts';

export function onDb(ctx: CommandContext, ...actions: Action[]): RequiredPrivilege[] {
  return actions.map((action) => ({ action, resource: { db: ctx.db } }));
}

export function onCluster(...actions: Action[]): RequiredPrivilege[] {
  return actions.map((action) => ({ action, resource: { cluster: true } }));
}

/**
 * Acting on one collection of the command's database. admin.system.users is not an ordinary
 * collection: as in mongod, reading it is viewUser and changing its documents is updateUser,
 * so read roles never reveal the stored SCRAM keys; anything else on it (drop, indexes) is
 * checked on the collection itself, which no database role reaches.
 */
export function onCollection(ctx: CommandContext, coll: unknown, ...actions: Action[]): RequiredPrivilege[] {
  if (typeof coll !== 'string') return onDb(ctx, ...actions);
  return actions.map((action) => {
    if (ctx.db === 'admin' && coll === 'system.users') {
      if (action === 'find') return { action: 'viewUser', resource: { db: 'admin' } };
      if (action === 'insert' || action === 'update' || action === 'remove') return { action: 'updateUser', resource: { db: 'admin' } };
    }
    return { action, resource: { db: ctx.db, collection: coll } };
  });
}

/** mongod's limit on $lookup sub-pipelines inside each other. */
const MAX_SUB_PIPELINE_DEPTH = 20;

/**
 * Every collection a pipeline reads, at any depth: $lookup and $graphLookup `from`,
 * $unionWith, and the pipelines inside $lookup, $unionWith and $facet. Authorization checks
 * each one, and the pipeline runner serves no other collection.
 */
export function pipelineCollections(pipeline: unknown, into: Set<string> = new Set(), depth = 0): Set<string> {
  if (!Array.isArray(pipeline)) return into;
  if (depth > MAX_SUB_PIPELINE_DEPTH) throw new CommandError('BadValue', `Maximum number of nested sub-pipelines exceeded. Limit is ${MAX_SUB_PIPELINE_DEPTH}`);
  for (const stage of pipeline as Document[]) {
    if (!stage || typeof stage !== 'object') continue;
    for (const [name, spec] of Object.entries(stage)) {
      if (name === '$unionWith' && typeof spec === 'string') into.add(spec);
      else if ((name === '$lookup' || name === '$graphLookup' || name === '$unionWith') && spec && typeof spec === 'object') {
        const from = (spec as Document).from ?? (spec as Document).coll;
        if (typeof from === 'string') into.add(from);
        pipelineCollections((spec as Document).pipeline, into, depth + 1);
      } else if (name === '$facet' && spec && typeof spec === 'object') {
        for (const inner of Object.values(spec as Document)) pipelineCollections(inner, into, depth + 1);
      }
    }
  }
  return into;
}
