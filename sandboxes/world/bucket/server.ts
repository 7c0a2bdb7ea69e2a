/**
 * The CloudPets recordings bucket: S3's REST API for GET/HEAD object and ListObjectsV2 over
 * node:http. Who may do what follows S3's order: a signed request (presigned URL or
 * Authorization header) acts as the bucket owner and must carry a valid, unexpired
 * signature; an anonymous request is allowed only by a public bucket policy, and only if
 * Block Public Access does not switch that policy off.
 *
 * Addressing: requests whose Host is bucket.cloudpets.test use virtual-hosted style (the
 * whole path is the key, as in the stored URLs http://bucket.cloudpets.test/<key>);
 * any other Host uses path style (/<bucket>/<key>), which is what the AWS SDK sends with
 * forcePathStyle to http://127.0.0.1:<port>. Any Host but the bucket's name, its address and
 * localhost is refused as S3 refuses an unknown name (NoSuchBucket), against DNS rebinding.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { BUCKET_HOST } from '../network/hosts.ts';
import { hostHeaderName, servesHostName } from '../network/served-names.ts';
import { type ObjectStore, type StoredObject, openObjectStore } from './object-store.ts';
import { type OwnerCredentials, loadOwner } from './owner.ts';
import { type BucketPolicy, PolicyError, evaluateAnonymous, isPublicPolicy, parseBucketPolicy } from './policy.ts';
import { ALL_OFF, type PublicAccessBlock, PublicAccessBlockError, parsePublicAccessBlock } from './public-access-block.ts';
import {
  S3Error,
  accessDenied,
  escapeXml,
  invalidArgument,
  invalidRange,
  methodNotAllowed,
  noSuchBucket,
  noSuchKey,
  notImplemented,
  s3Time,
  unknownHost,
} from './s3-errors.ts';
import { type SignedBy, presignGet, verifyAuthorizationHeader, verifyPresigned } from './sigv4.ts';

export interface BucketConfig {
  policy?: BucketPolicy;
  publicAccessBlock: PublicAccessBlock;
  /** True when the policy file grants access to everyone. */
  policyIsPublic: boolean;
  /**
   * False when BlockPublicPolicy refused the public policy: S3 answers PutBucketPolicy with
   * 403 AccessDenied when BlockPublicPolicy is on and the policy is public, so the lab bucket
   * (which applies the files in the order switches, then policy) runs without it.
   */
  policyApplied: boolean;
  notes: string[];
}

/** Reads <lab>/bucket/policy.json and public-access-block.json. Throws a clear error naming the file. */
export function loadBucketConfig(labDir: string, bucketName: string): BucketConfig {
  const policyPath = join(labDir, 'bucket', 'policy.json');
  const blockPath = join(labDir, 'bucket', 'public-access-block.json');
  const notes: string[] = [];
  let publicAccessBlock = { ...ALL_OFF };
  if (existsSync(blockPath)) {
    publicAccessBlock = parsePublicAccessBlock(readFileSync(blockPath, 'utf8'), blockPath);
  }
  let policy: BucketPolicy | undefined;
  if (existsSync(policyPath)) {
    const text = readFileSync(policyPath, 'utf8');
    // An empty file means "no bucket policy", like DeleteBucketPolicy.
    if (text.trim() !== '') policy = parseBucketPolicy(text, bucketName, policyPath);
  }
  const policyIsPublic = isPublicPolicy(policy);
  let policyApplied = policy !== undefined;
  if (policyIsPublic && publicAccessBlock.BlockPublicPolicy) {
    policyApplied = false;
    notes.push(`${policyPath} grants public access and BlockPublicPolicy is on: S3 refuses such a policy (PutBucketPolicy: 403 AccessDenied), so the bucket runs without a policy`);
  } else if (policyIsPublic && publicAccessBlock.RestrictPublicBuckets) {
    notes.push(`RestrictPublicBuckets is on: the public statements of ${policyPath} are ignored for anonymous requests`);
  }
  return { policy, publicAccessBlock, policyIsPublic, policyApplied, notes };
}

export { PolicyError, PublicAccessBlockError };

export interface BucketOptions {
  labDir: string;
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** The name the bucket is known by on the lab network (virtual-hosted style). */
  virtualHost?: string;
  /** Clock for expiry checks (tests). */
  now?: () => Date;
}

export interface RunningBucket {
  name: string;
  /** http://127.0.0.1:<port> (path style: <url>/<bucket>/<key>) */
  url: string;
  host: string;
  port: number;
  owner: OwnerCredentials;
  config: BucketConfig;
  /** Presign a GET for a key, valid `seconds` (1..604800), for the given base URL (default: the public name). */
  presign(key: string, seconds: number, baseUrl?: string): Promise<string>;
  /** Re-read the policy and Block Public Access files; on error keeps the previous ones and throws. */
  reloadConfig(): BucketConfig;
  close(): Promise<void>;
}

type Action = 's3:GetObject' | 's3:ListBucket';

interface Target {
  bucket: string;
  key?: string;
}

function decodeKey(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    throw new S3Error(400, 'InvalidURI', "Couldn't parse the specified URI.", [['URI', rawPath]]);
  }
}

function target(req: IncomingMessage, rawPath: string, bucketName: string, virtualHost: string): Target {
  const hostname = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  if (hostname === virtualHost) {
    const key = rawPath.replace(/^\//, '');
    return { bucket: bucketName, key: key === '' ? undefined : decodeKey(key) };
  }
  const [, bucket = '', key = ''] = /^\/([^/]*)\/?(.*)$/.exec(rawPath) ?? [];
  return { bucket: decodeKey(bucket), key: key === '' ? undefined : decodeKey(key) };
}

function sendError(res: ServerResponse, method: string, error: S3Error): void {
  res.statusCode = error.status;
  res.setHeader('x-amz-request-id', Math.random().toString(16).slice(2, 18).toUpperCase());
  if (method === 'HEAD') {
    res.end();
    return;
  }
  res.setHeader('Content-Type', 'application/xml');
  res.end(error.toXml());
}

function listXml(bucket: string, params: URLSearchParams, objects: StoredObject[], prefixes: string[], truncated: boolean, next: string | undefined, maxKeys: number): string {
  const prefix = params.get('prefix') ?? '';
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
    `<Name>${escapeXml(bucket)}</Name><Prefix>${escapeXml(prefix)}</Prefix>`,
  ];
  if (params.has('delimiter')) parts.push(`<Delimiter>${escapeXml(params.get('delimiter')!)}</Delimiter>`);
  parts.push(`<KeyCount>${objects.length + prefixes.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>`);
  if (params.has('continuation-token')) parts.push(`<ContinuationToken>${escapeXml(params.get('continuation-token')!)}</ContinuationToken>`);
  if (next) parts.push(`<NextContinuationToken>${escapeXml(next)}</NextContinuationToken>`);
  if (params.has('start-after')) parts.push(`<StartAfter>${escapeXml(params.get('start-after')!)}</StartAfter>`);
  for (const object of objects) {
    parts.push(
      `<Contents><Key>${escapeXml(object.key)}</Key><LastModified>${object.lastModified.toISOString()}</LastModified>` +
        `<ETag>${escapeXml(object.etag)}</ETag><Size>${object.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    );
  }
  for (const common of prefixes) parts.push(`<CommonPrefixes><Prefix>${escapeXml(common)}</Prefix></CommonPrefixes>`);
  parts.push('</ListBucketResult>');
  return parts.join('');
}

export async function startBucket(options: BucketOptions): Promise<RunningBucket> {
  const owner = loadOwner(options.labDir);
  const bucketName = owner.bucket;
  const virtualHost = (options.virtualHost ?? BUCKET_HOST.name).toLowerCase();
  let config = loadBucketConfig(options.labDir, bucketName);
  const store: ObjectStore = openObjectStore(options.labDir);
  const now = options.now ?? (() => new Date());

  async function authorise(req: IncomingMessage, rawPath: string, query: URLSearchParams, action: Action, resource: string): Promise<SignedBy | 'anonymous'> {
    const signed = { method: req.method ?? 'GET', rawPath, query, headers: req.headers };
    if (query.has('X-Amz-Signature') || query.has('X-Amz-Credential') || query.has('X-Amz-Algorithm')) {
      return verifyPresigned(signed, owner, now());
    }
    if (req.headers.authorization) return verifyAuthorizationHeader(signed, owner);
    // Anonymous: only a public policy can let it in, and Block Public Access can switch that off.
    const { policy, policyApplied, policyIsPublic, publicAccessBlock } = config;
    if (!policyApplied) throw accessDenied();
    if (policyIsPublic && publicAccessBlock.RestrictPublicBuckets) throw accessDenied();
    if (evaluateAnonymous(policy, action, resource) !== 'allow') throw accessDenied();
    return 'anonymous';
  }

  async function getObject(req: IncomingMessage, res: ServerResponse, rawPath: string, query: URLSearchParams, key: string): Promise<void> {
    const caller = await authorise(req, rawPath, query, 's3:GetObject', `arn:aws:s3:::${bucketName}/${key}`);
    const object = store.get(key);
    if (!object) {
      // Without s3:ListBucket S3 hides whether a key exists: 403, not 404 (anonymous callers).
      if (caller === 'anonymous' && evaluateAnonymous(config.policy, 's3:ListBucket', `arn:aws:s3:::${bucketName}`) !== 'allow') {
        throw accessDenied();
      }
      throw noSuchKey(key);
    }
    let start = 0;
    let end = object.size - 1;
    const range = req.headers.range;
    if (range) {
      const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
      if (match && (match[1] || match[2])) {
        if (match[1]) {
          start = Number(match[1]);
          if (match[2]) end = Math.min(Number(match[2]), object.size - 1);
        } else {
          start = Math.max(0, object.size - Number(match[2]));
        }
        if (start > end || start >= object.size) throw invalidRange();
        res.statusCode = 206;
        res.setHeader('Content-Range', `bytes ${start}-${end}/${object.size}`);
      }
    }
    res.setHeader('Content-Type', object.contentType);
    res.setHeader('Content-Length', String(end - start + 1));
    res.setHeader('ETag', object.etag);
    res.setHeader('Last-Modified', object.lastModified.toUTCString());
    res.setHeader('Accept-Ranges', 'bytes');
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(object.file, { start, end }).pipe(res);
  }

  async function listObjects(req: IncomingMessage, res: ServerResponse, rawPath: string, query: URLSearchParams): Promise<void> {
    await authorise(req, rawPath, query, 's3:ListBucket', `arn:aws:s3:::${bucketName}`);
    if (query.get('list-type') !== '2') throw notImplemented('ListObjects version 1; send list-type=2 (ListObjectsV2)');
    const maxKeysText = query.get('max-keys') ?? '1000';
    if (!/^\d+$/.test(maxKeysText)) throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', maxKeysText);
    const maxKeys = Math.min(Number(maxKeysText), 1000);
    const prefix = query.get('prefix') ?? '';
    const delimiter = query.get('delimiter') ?? '';
    let after = query.get('start-after') ?? undefined;
    const token = query.get('continuation-token');
    if (token !== null) {
      const decoded = Buffer.from(token, 'base64url').toString('utf8');
      if (!decoded.startsWith('k:')) throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
      after = decoded.slice(2);
    }
    const objects: StoredObject[] = [];
    const prefixes: string[] = [];
    let last: string | undefined;
    let truncated = false;
    for (const object of store.list(prefix, after)) {
      let common: string | undefined;
      if (delimiter) {
        const at = object.key.indexOf(delimiter, prefix.length);
        if (at !== -1) common = object.key.slice(0, at + delimiter.length);
      }
      if (common !== undefined && prefixes[prefixes.length - 1] === common) {
        continue; // rolled into the common prefix already counted
      }
      if (objects.length + prefixes.length >= maxKeys) {
        truncated = true;
        break;
      }
      if (common !== undefined) {
        prefixes.push(common);
        // Continue after everything under this common prefix.
        last = common + '\u{10ffff}';
      } else {
        objects.push(object);
        last = object.key;
      }
    }
    const next = truncated && last !== undefined ? Buffer.from(`k:${last}`).toString('base64url') : undefined;
    res.setHeader('Content-Type', 'application/xml');
    res.end(listXml(bucketName, query, objects, prefixes, truncated, next, maxKeys));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // S3 names itself in every answer; scanners and curl -I show it.
    res.setHeader('Server', 'AmazonS3');
    const url = new URL(req.url ?? '/', 'http://bucket');
    const rawPath = (req.url ?? '/').split('?')[0]!;
    const query = url.searchParams;
    const method = req.method ?? 'GET';
    try {
      if (!servesHostName(req.headers.host, BUCKET_HOST, virtualHost)) throw unknownHost(hostHeaderName(req.headers.host) ?? req.headers.host ?? '');
      const where = target(req, rawPath, bucketName, virtualHost);
      if (where.bucket === '') throw new S3Error(403, 'AccessDenied', 'Access Denied'); // ListAllMyBuckets: not for anyone here
      if (where.bucket !== bucketName) throw noSuchBucket(where.bucket);
      if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method);
      if (where.key === undefined) {
        if (method === 'HEAD') {
          await authorise(req, rawPath, query, 's3:ListBucket', `arn:aws:s3:::${bucketName}`);
          res.end();
          return;
        }
        await listObjects(req, res, rawPath, query);
      } else {
        await getObject(req, res, rawPath, query, where.key);
      }
    } catch (error) {
      if (error instanceof S3Error) sendError(res, method, error);
      else {
        console.error('bucket: internal error', error);
        sendError(res, method, new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.'));
      }
    }
  }

  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    name: bucketName,
    url: `http://${host}:${address.port}`,
    host,
    port: address.port,
    owner,
    get config() {
      return config;
    },
    presign: (key, seconds, baseUrl = `http://${virtualHost}`) => presignGet(owner, baseUrl, key, seconds, now()),
    reloadConfig() {
      config = loadBucketConfig(options.labDir, bucketName);
      return config;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
