/**
 * The bucket owner's AWS credentials in the lab. Fake by construction (the "EXAMPLE" key id
 * style of AWS's own documentation) and written to <lab>/.lab/bucket-owner.json so the app
 * code, tests and learners can sign requests with the AWS SDK like the real owner would.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface OwnerCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  bucket: string;
}

export const BUCKET_NAME = 'cloudpets-recordings';
export const REGION = 'us-east-1';

export const DEFAULT_OWNER: OwnerCredentials = {
  accessKeyId: 'AKIAEXAMPLECLOUDPETS',
  secretAccessKey: 'cloudpetsEXAMPLEKEYnotARealSecret/2016lab',
  region: REGION,
  bucket: BUCKET_NAME,
};

export function ownerFilePath(labDir: string): string {
  return join(labDir, '.lab', 'bucket-owner.json');
}

/** Reads the lab's owner file, creating it with the default credentials on first use. */
export function loadOwner(labDir: string): OwnerCredentials {
  const path = ownerFilePath(labDir);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(DEFAULT_OWNER, null, 2) + '\n');
    return { ...DEFAULT_OWNER };
  }
  let raw: Partial<OwnerCredentials>;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}); delete it to get the default owner credentials back`);
  }
  for (const key of ['accessKeyId', 'secretAccessKey'] as const) {
    if (typeof raw[key] !== 'string' || raw[key] === '') throw new Error(`${path}: "${key}" must be a non-empty string; delete the file to get the defaults back`);
  }
  return { ...DEFAULT_OWNER, ...raw };
}
