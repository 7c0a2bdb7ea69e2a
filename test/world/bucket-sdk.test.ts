/**
 * The AWS SDK v3 (the official client and presigner) against the lab bucket: the proof that
 * it answers like S3.
 */
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBucket } from '../../sandboxes/world/bucket/object-store.ts';
import { type RunningBucket, startBucket } from '../../sandboxes/world/bucket/server.ts';
import { recordingsOf, recordingsFrom, totalRecordings } from '../../sandboxes/world/dataset/generate.ts';
import { CLIPS_DIR } from '../../sandboxes/world/recordings/clips.ts';
import { stampClip } from '../../sandboxes/world/dataset/clip-stamp.ts';
import { PUBLIC_READ_POLICY, rawRequest, tempLab, writeLabFile } from './helpers.ts';

const dataset = { seed: 7, users: 40 };
let lab: ReturnType<typeof tempLab>;
let bucket: RunningBucket;
let s3: S3Client;

beforeAll(async () => {
  lab = tempLab();
  writeLabFile(lab.dir, 'bucket/policy.json', PUBLIC_READ_POLICY);
  seedBucket(lab.dir, dataset);
  bucket = await startBucket({ labDir: lab.dir });
  s3 = new S3Client({
    endpoint: bucket.url,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: bucket.owner.accessKeyId, secretAccessKey: bucket.owner.secretAccessKey },
  });
});

afterAll(async () => {
  s3?.destroy();
  await bucket?.close();
  lab?.cleanup();
});

const sample = () => recordingsOf(dataset, 5)[0]!;

async function sdkError(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (error) {
    return error as S3ServiceException;
  }
  throw new Error('expected the SDK call to fail');
}

describe('bucket with the AWS SDK', () => {
  it('GetObject returns the clip bytes of the recording', async () => {
    const { doc, clip } = sample();
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket.name, Key: doc.key }));
    const bytes = Buffer.from(await out.Body!.transformToByteArray());
    expect(bytes.equals(stampClip(readFileSync(join(CLIPS_DIR, clip.file)), dataset.seed))).toBe(true);
    expect(out.ContentType).toBe('audio/wav');
    expect(out.ETag).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it('HeadObject gives size and ETag without a body', async () => {
    const { doc, clip } = sample();
    const out = await s3.send(new HeadObjectCommand({ Bucket: bucket.name, Key: doc.key }));
    expect(out.ContentLength).toBe(stampClip(readFileSync(join(CLIPS_DIR, clip.file)), dataset.seed).length);
  });

  it('GetObject on a missing key is NoSuchKey; a wrong bucket is NoSuchBucket', async () => {
    const missing = await sdkError(s3.send(new GetObjectCommand({ Bucket: bucket.name, Key: 'recordings/nope.wav' })));
    expect(missing.name).toBe('NoSuchKey');
    expect(missing.$metadata.httpStatusCode).toBe(404);
    const wrong = await sdkError(s3.send(new GetObjectCommand({ Bucket: 'someone-elses-bucket', Key: 'x.wav' })));
    expect(wrong.name).toBe('NoSuchBucket');
  });

  it('ListObjectsV2 pages through every key in order, losing nothing', async () => {
    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket.name, MaxKeys: 17, ContinuationToken: token }));
      keys.push(...(page.Contents ?? []).map((c) => c.Key!));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      pages++;
    } while (token);
    const expected = [...recordingsFrom(dataset)].map((r) => r.doc.key);
    expect(keys.length).toBe(totalRecordings(dataset.users));
    expect(keys).toEqual(expected);
    expect(keys).toEqual([...keys].sort());
    expect(pages).toBe(Math.ceil(keys.length / 17));
  });

  it('ListObjectsV2 honours Prefix, StartAfter and Delimiter', async () => {
    const userPrefix = sample().doc.key.split('/').slice(0, 2).join('/') + '/';
    const byPrefix = await s3.send(new ListObjectsV2Command({ Bucket: bucket.name, Prefix: userPrefix }));
    expect(byPrefix.Contents!.map((c) => c.Key)).toEqual(recordingsOf(dataset, 5).map((r) => r.doc.key));
    const after = await s3.send(new ListObjectsV2Command({ Bucket: bucket.name, StartAfter: sample().doc.key, MaxKeys: 1 }));
    expect(after.Contents![0]!.Key! > sample().doc.key).toBe(true);
    const folders = await s3.send(new ListObjectsV2Command({ Bucket: bucket.name, Prefix: 'recordings/', Delimiter: '/' }));
    expect(folders.Contents ?? []).toEqual([]);
    expect(folders.CommonPrefixes!.length).toBe(dataset.users);
  });

  it('Delimiter listings page through common prefixes without repeats', async () => {
    const prefixes: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket.name, Prefix: 'recordings/', Delimiter: '/', MaxKeys: 7, ContinuationToken: token }));
      prefixes.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    expect(prefixes.length).toBe(dataset.users);
    expect(new Set(prefixes).size).toBe(dataset.users);
    const none = await s3.send(new ListObjectsV2Command({ Bucket: bucket.name, Prefix: 'photos/' }));
    expect(none.KeyCount).toBe(0);
  });

  it('a presigned GET made by the SDK works', async () => {
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket.name, Key: sample().doc.key }), { expiresIn: 300 });
    expect(url).toContain('X-Amz-Signature=');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
  });

  it('an expired presigned URL fails with "Request has expired"', async () => {
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket.name, Key: sample().doc.key }), {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 2 * 3600_000),
    });
    const res = await fetch(url);
    const body = await res.text();
    expect(res.status).toBe(403);
    expect(body).toContain('<Code>AccessDenied</Code>');
    expect(body).toContain('<Message>Request has expired</Message>');
    expect(body).toContain('<X-Amz-Expires>60</X-Amz-Expires>');
    expect(body).toMatch(/<Expires>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/Expires>/);
    expect(body).toMatch(/<ServerTime>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/ServerTime>/);
  });

  it('a tampered signature, key or expiry fails with SignatureDoesNotMatch', async () => {
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket.name, Key: sample().doc.key }), { expiresIn: 300 });
    const signature = /X-Amz-Signature=([0-9a-f]+)/.exec(url)![1]!;
    const flipped = signature.slice(0, -1) + (signature.endsWith('0') ? '1' : '0');
    for (const bad of [
      url.replace(signature, flipped),
      url.replace(sample().doc.key, recordingsOf(dataset, 6)[0]!.doc.key),
      url.replace('X-Amz-Expires=300', 'X-Amz-Expires=600000'),
    ]) {
      const res = await fetch(bad);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    }
  });

  it('refuses X-Amz-Expires over a week and unknown access keys', async () => {
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket.name, Key: sample().doc.key }), { expiresIn: 300 });
    const tooLong = await fetch(url.replace('X-Amz-Expires=300', 'X-Amz-Expires=604801'));
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain('604800');
    const stranger = new S3Client({ endpoint: bucket.url, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'AKIAOTHERPERSON00000', secretAccessKey: 'x'.repeat(40) } });
    const error = await sdkError(stranger.send(new GetObjectCommand({ Bucket: bucket.name, Key: sample().doc.key })));
    expect(error.name).toBe('InvalidAccessKeyId');
    stranger.destroy();
  });

  it('a wrong secret key gets SignatureDoesNotMatch from the SDK', async () => {
    const impostor = new S3Client({ endpoint: bucket.url, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: bucket.owner.accessKeyId, secretAccessKey: 'guessed-secret' } });
    const error = await sdkError(impostor.send(new HeadObjectCommand({ Bucket: bucket.name, Key: sample().doc.key })));
    expect(error.$metadata.httpStatusCode).toBe(403);
    impostor.destroy();
  });

  it('the world presigner signs links for the public name that verify at the bucket', async () => {
    const key = sample().doc.key;
    const link = await bucket.presign(key, 120);
    expect(link.startsWith(`http://bucket.cloudpets.test/${key}?`)).toBe(true);
    const res = await rawRequest(link.replace('http://bucket.cloudpets.test', bucket.url), { headers: { host: 'bucket.cloudpets.test' } });
    expect(res.status).toBe(200);
    // Another host name is another signature: the link does not transfer.
    const moved = await rawRequest(link.replace('http://bucket.cloudpets.test', bucket.url), { headers: { host: 'evil.test' } });
    expect(moved.status).toBe(404); // path style on another host: "recordings" is no bucket
    await expect(bucket.presign(key, 604_801)).rejects.toThrow(/604800/);
  });

  it('serves byte ranges as S3 does (what a browser audio player asks for)', async () => {
    const { doc } = sample();
    const res = await rawRequest(`${bucket.url}/${bucket.name}/${doc.key}`, { headers: { range: 'bytes=0-11' } });
    expect(res.status).toBe(206);
    expect(res.body.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(res.body.subarray(8, 12).toString('latin1')).toBe('WAVE');
    expect(res.headers['content-range']).toMatch(/^bytes 0-11\/\d+$/);
    expect(res.headers.server).toBe('AmazonS3');
  });
});
