/**
 * The detection lab's setup: the theft of January 2017 replayed from the internet once, when
 * the lab folder's world first starts, so the database log the learner investigates holds a
 * real one.
 */
import type { CheckContext } from '../context.ts';
import { connectMongo } from '../probes/mongo.ts';

const STOLEN = ['users', 'recordings'];

/** What the thieves did in January 2017, replayed from the internet: look around, then take everything. */
export async function scriptedTheft(ctx: CheckContext): Promise<void> {
  // From another internet host than the learner's, and with no appName: the thief's client
  // must not label itself in the log the learner investigates.
  const client = await connectMongo(ctx.network(), { from: 'stranger', appName: null });
  try {
    await client.db('admin').command({ listDatabases: 1 });
    await client.db('cloudpets').listCollections().toArray();
    for (const name of STOLEN) await client.db('cloudpets').collection(name).find({}).toArray();
  } finally {
    await client.close();
  }
}
