/**
 * Anonymous access (what an attacker with curl gets) under bucket policies and Block Public
 * Access, tried over HTTP; and policy files that are wrong get a clear error.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterEach, describe, expect, it } from 'vitest';
import { seedBucket } from '../../sandboxes/world/bucket/object-store.ts';
import { PolicyError, evaluateAnonymous, parseBucketPolicy } from '../../sandboxes/world/bucket/policy.ts';
import { PublicAccessBlockError, parsePublicAccessBlock } from '../../sandboxes/world/bucket/public-access-block.ts';
import { type RunningBucket, startBucket } from '../../sandboxes/world/bucket/server.ts';
import { recordingsOf } from '../../sandboxes/world/dataset/generate.ts';
import { PUBLIC_READ_POLICY, rawRequest, tempLab, writeLabFile } from './helpers.ts';

const dataset = { seed: 3, users: 10 };
const BUCKET = 'cloudpets-recordings';
const key = recordingsOf(dataset, 2)[0]!.doc.key;
const open: { close(): Promise<void> }[] = [];
const labs: ReturnType<typeof tempLab>[] = [];

afterEach(async () => {
  for (const thing of open.splice(0)) await thing.close();
  for (const lab of labs.splice(0)) lab.cleanup();
});

async function bucketWith(files: { policy?: unknown; block?: unknown }): Promise<RunningBucket> {
  const lab = tempLab();
  labs.push(lab);
  if (files.policy !== undefined) writeLabFile(lab.dir, 'bucket/policy.json', typeof files.policy === 'string' ? files.policy : JSON.stringify(files.policy));
  if (files.block !== undefined) writeLabFile(lab.dir, 'bucket/public-access-block.json', JSON.stringify(files.block));
  seedBucket(lab.dir, dataset);
  const bucket = await startBucket({ labDir: lab.dir });
  open.push(bucket);
  return bucket;
}

/** An anonymous GET the way the stored URLs are used: http://bucket.cloudpets.test/<key>. */
const anonymousGet = (bucket: RunningBucket, path = key) => rawRequest(`${bucket.url}/${path}`, { headers: { host: 'bucket.cloudpets.test' } });
const anonymousList = (bucket: RunningBucket) => rawRequest(`${bucket.url}/?list-type=2`, { headers: { host: 'bucket.cloudpets.test' } });

const allOff = { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };
const statement = (extra: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', ...extra }] });

describe('anonymous access', () => {
  it('2016 state: a public-read policy lets anyone download a recording by URL, but not list', async () => {
    const bucket = await bucketWith({ policy: PUBLIC_READ_POLICY, block: allOff });
    const res = await anonymousGet(bucket);
    expect(res.status).toBe(200);
    expect(res.body.subarray(0, 4).toString('latin1')).toBe('RIFF');
    const list = await anonymousList(bucket);
    expect(list.status).toBe(403);
    expect(list.text).toContain('<Code>AccessDenied</Code><Message>Access Denied</Message>');
  });

  it('a missing key is 403 to the public without s3:ListBucket, 404 NoSuchKey with it', async () => {
    const noList = await bucketWith({ policy: PUBLIC_READ_POLICY });
    expect((await anonymousGet(noList, 'recordings/nothing.wav')).status).toBe(403);
    const withList = await bucketWith({ policy: statement({ Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`] }) });
    const res = await anonymousGet(withList, 'recordings/nothing.wav');
    expect(res.status).toBe(404);
    expect(res.text).toContain('<Code>NoSuchKey</Code>');
    expect(res.text).toContain('<Key>recordings/nothing.wav</Key>');
  });

  it('s3:ListBucket for everyone lets anyone list every key (the whole bucket, not just known URLs)', async () => {
    const bucket = await bucketWith({ policy: statement({ Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}` }) });
    const list = await anonymousList(bucket);
    expect(list.status).toBe(200);
    expect(list.text).toContain(`<Key>${key}</Key>`);
    // ListBucket does not grant GetObject.
    expect((await anonymousGet(bucket)).status).toBe(403);
  });

  it('s3:* and {"AWS": "*"} are public too; an explicit Deny wins over an Allow', async () => {
    const wide = await bucketWith({ policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:*', Resource: `arn:aws:s3:::${BUCKET}/*` }] } });
    expect((await anonymousGet(wide)).status).toBe(200);
    const denied = await bucketWith({
      policy: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` },
          { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/recordings/*` },
        ],
      },
    });
    expect((await anonymousGet(denied)).status).toBe(403);
  });

  it('no policy at all: private; the owner still gets in with a presigned URL', async () => {
    const bucket = await bucketWith({});
    const res = await anonymousGet(bucket);
    expect(res.status).toBe(403);
    expect(res.text).toContain('<Message>Access Denied</Message>');
    const s3 = new S3Client({ endpoint: bucket.url, forcePathStyle: true, region: 'us-east-1', credentials: bucket.owner });
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: key }), { expiresIn: 60 });
    expect((await fetch(url)).status).toBe(200);
    s3.destroy();
  });

  it('RestrictPublicBuckets switches the public policy off for anonymous requests', async () => {
    const bucket = await bucketWith({ policy: PUBLIC_READ_POLICY, block: { ...allOff, RestrictPublicBuckets: true } });
    const res = await anonymousGet(bucket);
    expect(res.status).toBe(403);
    expect(res.text).toContain('<Code>AccessDenied</Code>');
    expect(bucket.config.notes.join(' ')).toContain('RestrictPublicBuckets');
    // The owner's presigned link still works.
    const link = await bucket.presign(key, 60);
    expect((await rawRequest(link.replace('http://bucket.cloudpets.test', bucket.url), { headers: { host: 'bucket.cloudpets.test' } })).status).toBe(200);
  });

  it('BlockPublicPolicy refuses a public policy, so anonymous requests are denied', async () => {
    const bucket = await bucketWith({ policy: PUBLIC_READ_POLICY, block: { ...allOff, BlockPublicPolicy: true } });
    expect((await anonymousGet(bucket)).status).toBe(403);
    expect(bucket.config.policyApplied).toBe(false);
    expect(bucket.config.notes.join(' ')).toMatch(/BlockPublicPolicy.*403 AccessDenied/);
  });

  it('the ACL switches alone do not close a public policy (as on AWS)', async () => {
    const bucket = await bucketWith({ policy: PUBLIC_READ_POLICY, block: { ...allOff, BlockPublicAcls: true, IgnorePublicAcls: true } });
    expect((await anonymousGet(bucket)).status).toBe(200);
  });

  it('HEAD errors carry the status but no body, like S3', async () => {
    const bucket = await bucketWith({});
    const res = await rawRequest(`${bucket.url}/${key}`, { method: 'HEAD', headers: { host: 'bucket.cloudpets.test' } });
    expect(res.status).toBe(403);
    expect(res.body.length).toBe(0);
  });
});

describe('policy files that are wrong', () => {
  const cases: [string, string, RegExp][] = [
    ['not JSON', '{"Version": "2012-10-17", "Statement": [', /not valid JSON/],
    ['lower-case effect', JSON.stringify(statement({ Effect: 'allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` })), /Statement\[0\]\.Effect must be "Allow" or "Deny"/],
    ['a date as Version', JSON.stringify({ ...statement({ Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` }), Version: '2024-01-01' }), /"Version" must be "2012-10-17"/],
    ['unknown action', JSON.stringify(statement({ Action: 's3:GetObjects', Resource: `arn:aws:s3:::${BUCKET}/*` })), /Policy has invalid action: Statement\[0\]\.Action\[0\] "s3:GetObjects"/],
    ['another bucket', JSON.stringify(statement({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::other-bucket/*' })), /Policy has invalid resource.*"other-bucket"/],
    ['object action on the bucket ARN', JSON.stringify(statement({ Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}` })), /Action does not apply to any resource\(s\) in statement.*\/\*/],
    ['missing Principal', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` }] }), /missing "Principal"/],
    ['a Condition', JSON.stringify(statement({ Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { Bool: { 'aws:SecureTransport': 'true' } } })), /Condition is not supported/],
    ['misspelt key', JSON.stringify({ Version: '2012-10-17', Statements: [] }), /unknown top-level key "Statements"/],
  ];
  for (const [name, text, message] of cases) {
    it(`${name}: ${message.source.slice(0, 40)}…`, () => {
      expect(() => parseBucketPolicy(text, BUCKET, 'bucket/policy.json')).toThrow(PolicyError);
      expect(() => parseBucketPolicy(text, BUCKET, 'bucket/policy.json')).toThrow(message);
    });
  }

  it('startBucket refuses to start with a broken policy and names the file', async () => {
    const lab = tempLab();
    labs.push(lab);
    writeLabFile(lab.dir, 'bucket/policy.json', '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::cloudpets-recordings/*",}}');
    await expect(startBucket({ labDir: lab.dir })).rejects.toThrow(/bucket\/policy\.json is not valid JSON/);
  });

  it('Block Public Access: names the misspelt switch and refuses quoted booleans', () => {
    expect(() => parsePublicAccessBlock('{"blockPublicPolicy": true}', 'bucket/public-access-block.json')).toThrow(/did you mean "BlockPublicPolicy"/);
    expect(() => parsePublicAccessBlock('{"BlockPublicPolicy": "true"}')).toThrow(/true or false without quotes/);
    expect(() => parsePublicAccessBlock('{"BlockPublicPolicy": true,}')).toThrow(PublicAccessBlockError);
    expect(parsePublicAccessBlock('{"PublicAccessBlockConfiguration": {"RestrictPublicBuckets": true}}').RestrictPublicBuckets).toBe(true);
  });

  it('evaluation follows wildcards and NotResource', () => {
    const policy = parseBucketPolicy(
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:Get*', NotResource: `arn:aws:s3:::${BUCKET}/private/*` }] }),
      BUCKET,
    );
    expect(evaluateAnonymous(policy, 's3:GetObject', `arn:aws:s3:::${BUCKET}/recordings/a.wav`)).toBe('allow');
    expect(evaluateAnonymous(policy, 's3:GetObject', `arn:aws:s3:::${BUCKET}/private/a.wav`)).toBe('implicit-deny');
    expect(evaluateAnonymous(policy, 's3:ListBucket', `arn:aws:s3:::${BUCKET}`)).toBe('implicit-deny');
  });
});
