/**
 * A fingerprint of a collection's contents: SHA-256 over its documents in _id order, each as
 * canonical Extended JSON. Two collections with the same fingerprint hold the same documents,
 * field for field; a restore that lost or changed one document shows up here.
 */
import { createHash } from 'node:crypto';
import { EJSON, type Document } from 'bson';
import type { MongoClient } from 'mongodb';

export function fingerprint(docs: Document[]): string {
  const lines = docs.map((doc) => EJSON.stringify(doc, { relaxed: false })).sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line).update('\n');
  return hash.digest('hex');
}

export async function collectionFingerprint(client: MongoClient, db: string, collection: string): Promise<{ count: number; sha256: string }> {
  const docs = await client.db(db).collection(collection).find({}).toArray();
  return { count: docs.length, sha256: fingerprint(docs) };
}
