/**
 * Signed access to the bucket as its owner (the credentials the world keeps in
 * .lab/bucket-owner.json): how the checks see what the bucket really holds, whatever the
 * learner's policy says, and how they make a presigned URL that has already expired.
 */
import { loadOwner, type OwnerCredentials } from '../../world/bucket/owner.ts';
import { presignGet } from '../../world/bucket/sigv4.ts';
import type { CheckContext } from '../context.ts';
import type { HttpResult } from './http.ts';

export const BUCKET_URL = 'http://bucket.cloudpets.test';

// Read once per check run: a check may sign hundreds of object URLs.
const owners = new WeakMap<CheckContext, OwnerCredentials>();

export function owner(ctx: CheckContext): OwnerCredentials {
  let credentials = owners.get(ctx);
  if (!credentials) owners.set(ctx, (credentials = loadOwner(ctx.labDir)));
  return credentials;
}

export function objectUrl(ctx: CheckContext, key: string): string {
  return `${BUCKET_URL}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** GET an object with a fresh owner-signed URL (what the bucket holds, policy aside). */
export async function ownerGet(ctx: CheckContext, key: string): Promise<HttpResult> {
  const url = await presignGet(owner(ctx), BUCKET_URL, key, 60);
  return ctx.http({ url });
}

/** A presigned GET signed `ageSeconds` ago that was valid for `validSeconds`: expired now. */
export async function expiredPresignedUrl(ctx: CheckContext, key: string, ageSeconds = 3600, validSeconds = 900): Promise<string> {
  return presignGet(owner(ctx), BUCKET_URL, key, validSeconds, new Date(Date.now() - ageSeconds * 1000));
}
