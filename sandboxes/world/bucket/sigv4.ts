/**
 * Checks AWS Signature Version 4 on incoming requests, both presigned URLs (query auth) and
 * the Authorization header the SDK sends. We do not re-implement SigV4: the request is
 * rebuilt as the signer saw it and signed again with the AWS SDK's own code
 * (@smithy/signature-v4), then the two signatures are compared in constant time.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { OwnerCredentials } from './owner.ts';
import {
  S3Error,
  authorizationQueryError,
  invalidAccessKeyId,
  requestExpired,
  requestNotYetValid,
  signatureDoesNotMatch,
} from './s3-errors.ts';

export const MAX_PRESIGNED_SECONDS = 604_800;
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export interface IncomingSigned {
  method: string;
  /** The raw (still percent-encoded) path, as sent. */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

export interface SignedBy {
  accessKeyId: string;
  kind: 'presigned' | 'header';
}

function parseAmzDate(value: string | undefined, what: string): Date {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!match) throw authorizationQueryError(`${what} must be a date such as 20170108T120000Z (found ${JSON.stringify(value ?? '')})`);
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function sameSignature(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function signerFor(owner: OwnerCredentials, region: string, service: string): SignatureV4 {
  return new SignatureV4({
    credentials: { accessKeyId: owner.accessKeyId, secretAccessKey: owner.secretAccessKey },
    region,
    service,
    sha256: Sha256,
    // S3 signs the path exactly as sent (no second round of escaping).
    uriEscapePath: false,
    applyChecksum: false,
  });
}

function parseCredential(credential: string, owner: OwnerCredentials, what: string): { region: string; service: string; date: string } {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') {
    throw authorizationQueryError(`${what} must look like <access key id>/<yyyymmdd>/<region>/s3/aws4_request (found ${JSON.stringify(credential)})`);
  }
  if (parts[0] !== owner.accessKeyId) throw invalidAccessKeyId(parts[0]!);
  return { date: parts[1]!, region: parts[2]!, service: parts[3]! };
}

function signedHeaderValues(request: IncomingSigned, names: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = headerValue(request.headers, name);
    if (value === undefined) throw signatureDoesNotMatch();
    headers[name] = value;
  }
  return headers;
}

/** Verifies a presigned URL. Throws S3Error (expired, bad signature, …); returns the signer. */
export async function verifyPresigned(request: IncomingSigned, owner: OwnerCredentials, now = new Date()): Promise<SignedBy> {
  const q = request.query;
  if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') {
    throw authorizationQueryError(`X-Amz-Algorithm only supports "AWS4-HMAC-SHA256" (found ${JSON.stringify(q.get('X-Amz-Algorithm'))})`);
  }
  for (const name of ['X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature']) {
    if (!q.get(name)) throw authorizationQueryError(`Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters (missing ${name}).`);
  }
  const expiresText = q.get('X-Amz-Expires')!;
  const expires = Number(expiresText);
  if (!/^\d+$/.test(expiresText)) throw authorizationQueryError(`X-Amz-Expires should be a number (found ${JSON.stringify(expiresText)})`);
  if (expires > MAX_PRESIGNED_SECONDS) throw authorizationQueryError(`X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGNED_SECONDS}`);
  const signingDate = parseAmzDate(q.get('X-Amz-Date')!, 'X-Amz-Date');
  const { region, service } = parseCredential(q.get('X-Amz-Credential')!, owner, 'X-Amz-Credential');

  const signedHeaders = q.get('X-Amz-SignedHeaders')!.split(';');
  const headers = signedHeaderValues(request, signedHeaders);
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(q.keys())) {
    if (name === 'X-Amz-Signature') continue;
    const values = q.getAll(name);
    query[name] = values.length === 1 ? values[0]! : values;
  }
  // The payload hash of a presigned request is UNSIGNED-PAYLOAD; the SDK also puts it in the
  // query. Give it to the signer as a header it must neither sign nor move into the query.
  headers['x-amz-content-sha256'] = (q.get('X-Amz-Content-Sha256') ?? UNSIGNED_PAYLOAD);
  const keepOut = new Set(['x-amz-content-sha256']);

  const resigned = await signerFor(owner, region, service).presign(
    { method: request.method, protocol: 'http:', hostname: headers.host ?? '', path: request.rawPath, query, headers },
    {
      signingDate,
      expiresIn: expires,
      signableHeaders: new Set(signedHeaders),
      unsignableHeaders: keepOut,
      unhoistableHeaders: keepOut,
    },
  );
  const expected = resigned.query?.['X-Amz-Signature'];
  if (typeof expected !== 'string' || !sameSignature(expected, q.get('X-Amz-Signature')!)) throw signatureDoesNotMatch();

  // S3 checks the signature first, then the clock: a tampered URL never learns it expired.
  const expiresAt = new Date(signingDate.getTime() + expires * 1000);
  // A URL dated in the future would otherwise be valid for longer than the week S3 allows.
  if (now.getTime() < signingDate.getTime()) throw requestNotYetValid(signingDate, expiresAt, now);
  if (now.getTime() > expiresAt.getTime()) throw requestExpired(expires, expiresAt, now);
  return { accessKeyId: owner.accessKeyId, kind: 'presigned' };
}

/** Verifies `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. */
export async function verifyAuthorizationHeader(request: IncomingSigned, owner: OwnerCredentials): Promise<SignedBy> {
  const authorization = headerValue(request.headers, 'authorization') ?? '';
  const match = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(authorization.trim());
  if (!match) {
    throw new S3Error(400, 'InvalidArgument', 'Unsupported Authorization Type: only AWS4-HMAC-SHA256 (Signature Version 4) is accepted', [
      ['ArgumentName', 'Authorization'],
      ['ArgumentValue', authorization.split(' ')[0] ?? ''],
    ]);
  }
  const [, credential, signedList, signature] = match;
  const { region, service } = parseCredential(credential!, owner, 'Credential');
  const signedHeaders = signedList!.split(';');
  const headers = signedHeaderValues(request, signedHeaders);
  const signingDate = parseAmzDate(headers['x-amz-date'] ?? headerValue(request.headers, 'x-amz-date'), 'x-amz-date');
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(request.query.keys())) {
    const values = request.query.getAll(name);
    query[name] = values.length === 1 ? values[0]! : values;
  }
  if (!headers['x-amz-content-sha256']) headers['x-amz-content-sha256'] = UNSIGNED_PAYLOAD;
  const resigned = await signerFor(owner, region, service).sign(
    { method: request.method, protocol: 'http:', hostname: headers.host ?? '', path: request.rawPath, query, headers },
    { signingDate, signableHeaders: new Set(signedHeaders), unsignableHeaders: new Set(['x-amz-content-sha256'].filter((h) => !signedHeaders.includes(h))) },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(resigned.headers.authorization ?? resigned.headers.Authorization))?.[1];
  if (!expected || !sameSignature(expected, signature!)) throw signatureDoesNotMatch();
  // The SDK's clock check: S3 refuses requests more than 15 minutes off.
  if (Math.abs(Date.now() - signingDate.getTime()) > 15 * 60 * 1000) {
    throw new S3Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
  }
  return { accessKeyId: owner.accessKeyId, kind: 'header' };
}

/** Presign a GET for the owner (the app's `presign(key, seconds)`), with the SDK's signer. */
/** A presigned GET of an object, or of the bucket itself (key '', e.g. ListObjectsV2 with `query`). */
export async function presignGet(owner: OwnerCredentials, baseUrl: string, key: string, seconds: number, now = new Date(), query: Record<string, string> = {}): Promise<string> {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_PRESIGNED_SECONDS) {
    throw new RangeError(`presign: seconds must be a whole number from 1 to ${MAX_PRESIGNED_SECONDS} (7 days), got ${seconds}`);
  }
  const url = new URL(baseUrl);
  const path = `${url.pathname.replace(/\/$/, '')}/${key.split('/').map(encodeURIComponent).join('/')}`;
  const signed = await signerFor(owner, owner.region, 's3').presign(
    {
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path,
      query,
      headers: { host: url.host, 'X-Amz-Content-Sha256': UNSIGNED_PAYLOAD },
    },
    { signingDate: now, expiresIn: seconds },
  );
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(signed.query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) if (v != null) search.append(name, v);
  }
  return `${url.protocol}//${url.host}${path}?${search.toString()}`;
}
