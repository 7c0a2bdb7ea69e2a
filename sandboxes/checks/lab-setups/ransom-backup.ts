/**
 * The ransom lab's backup, taken before the raid: written once, when the lab folder's world
 * first starts, from the real seeded data (one canonical Extended JSON file a collection, a
 * manifest with counts and fingerprints, and a restore script for mongosh). The checks compare
 * the restored database with the manifest.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EJSON } from 'bson';
import type { CheckContext } from '../context.ts';
import { COLLECTIONS } from '../../world/dataset/generate.ts';
import { fingerprint } from '../probes/collection-fingerprint.ts';

export const BACKUP_DIR = 'backup';

export interface Manifest {
  database: string;
  takenAt: string;
  collections: Record<string, { count: number; sha256: string; file: string }>;
}

/** Writes backup/<collection>.jsonl, backup/manifest.json and backup/restore.js from the live data. */
export async function writeBackup(ctx: CheckContext): Promise<Manifest> {
  const client = await ctx.mongo('app');
  const dir = join(ctx.labDir, BACKUP_DIR);
  mkdirSync(dir, { recursive: true });
  const manifest: Manifest = { database: 'cloudpets', takenAt: new Date().toISOString(), collections: {} };
  const restoreParts: string[] = [];
  for (const name of COLLECTIONS) {
    const docs = await client.db('cloudpets').collection(name).find({}).sort({ _id: 1 }).toArray();
    const lines = docs.map((doc) => EJSON.stringify(doc, { relaxed: false }));
    writeFileSync(join(dir, `${name}.jsonl`), lines.join('\n') + (lines.length ? '\n' : ''));
    manifest.collections[name] = { count: docs.length, sha256: fingerprint(docs), file: `${name}.jsonl` };
    const coll = `target.getCollection(${JSON.stringify(name)})`;
    restoreParts.push(
      [
        `// ${name}: ${docs.length} documents`,
        `docs = EJSON.deserialize([\n${lines.join(',\n')}\n], { relaxed: false });`,
        `${coll}.deleteMany({ _id: { $in: docs.map((doc) => doc._id) } });`,
        docs.length > 0 ? `${coll}.insertMany(docs);` : '',
        `print(${JSON.stringify(`${name}: `)} + docs.length + ' documents restored');`,
      ].filter(Boolean).join('\n'),
    );
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  writeFileSync(join(dir, 'restore.js'), restoreScript(restoreParts));
  return manifest;
}

function restoreScript(parts: string[]): string {
  // Top-level statements only: the shell runs each database call to completion before the
  // next line, as mongosh does for a script.
  return `// CloudPets backup, restore script for mongosh:
//   mongosh mongodb://db.cloudpets.test:27017 --file backup/restore.js
// The same documents as the .jsonl files in this folder (canonical Extended JSON), inlined so
// the script needs nothing but the shell. Documents with the same _id are replaced, never
// duplicated, so running it twice is safe.
const target = db.getSiblingDB('cloudpets');
let docs;
${parts.join('\n\n')}
`;
}

export function readManifest(ctx: CheckContext): Manifest | undefined {
  try {
    return JSON.parse(ctx.readText(join(BACKUP_DIR, 'manifest.json')) ?? '') as Manifest;
  } catch {
    return undefined;
  }
}
