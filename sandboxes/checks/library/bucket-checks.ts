/**
 * Checks about the recordings bucket (lock-bucket, capstone). The attack is replayed as it
 * happened: anonymous GET and list, the permanent URLs stored in the database, a presigned
 * link that has expired, one parent asking for another's recording. Legitimate use: the
 * owner logs in, gets a link from the API and the clip plays; every object is still there.
 */
import type { Check } from '../types.ts';
import type { CheckContext } from '../context.ts';
import { s3Error } from '../probes/http.ts';
import { BUCKET_URL, expiredPresignedUrl, objectUrl, owner, ownerGet } from '../probes/bucket-as-owner.ts';
import { describeResponse, recordingLink, myRecordings } from '../probes/app-api.ts';
import { loginAsParent } from '../probes/parent-login.ts';
import { knownParents, seededFacts, type KnownParent } from '../seeded-world.ts';
import { recordingsOf, totalRecordings, user } from '../../world/dataset/generate.ts';
import { describeWav } from '../learner-files/downloads-folder.ts';
import { presignGet } from '../../world/bucket/sigv4.ts';

const MAX_LINK_SECONDS = 15 * 60;

/** A recording key of a known parent, straight from the dataset the world seeded. */
function sampleRecording(ctx: CheckContext, parentOffset = 0): { parent: KnownParent; key: string; url: string; id: string } | undefined {
  const seeded = seededFacts(ctx);
  if (!seeded) return undefined;
  for (const parent of knownParents(seeded.options, 20, parentOffset)) {
    const recording = recordingsOf(seeded.options, parent.index)[0];
    if (recording) return { parent, key: recording.doc.key, url: recording.doc.url, id: recording.doc._id.toHexString() };
  }
  return undefined;
}

/** A recording of any other family (its parent's password does not matter: only the id is asked for). */
function anotherFamilysRecording(ctx: CheckContext, notIndex: number): { parent: { email: string }; id: string } | undefined {
  const seeded = seededFacts(ctx);
  if (!seeded) return undefined;
  for (let index = 0; index < seeded.options.users; index++) {
    if (index === notIndex) continue;
    const recording = recordingsOf(seeded.options, index)[0];
    if (recording) return { parent: { email: user(seeded.options, index).email }, id: recording.doc._id.toHexString() };
  }
  return undefined;
}

function denied(status: number, text: string): { ok: boolean; words: string } {
  const error = s3Error(text);
  return { ok: status === 403, words: `HTTP ${status}${error.code ? ` ${error.code}` : ''}${error.message ? ` "${error.message}"` : ''}` };
}

export function anonymousGetDenied(anchor: string): Check {
  return {
    id: 'anonymous-get-denied',
    title: 'Strangers cannot download a recording',
    hint: 'Remove the public statement from bucket/policy.json and turn on the Block Public Access switches.',
    lessonAnchor: anchor,
    async run(ctx) {
      const sample = sampleRecording(ctx);
      if (!sample) return { pass: false, reason: '.lab/seeded.json is missing, so no recording can be tried' };
      const result = await ctx.http({ url: objectUrl(ctx, sample.key) });
      const verdict = denied(result.status, result.text);
      if (result.status === 200) return { pass: false, reason: `an anonymous GET of ${sample.key} returned the recording (${result.body.length} bytes)` };
      return verdict.ok && s3Error(result.text).code === 'AccessDenied'
        ? { pass: true, reason: `an anonymous GET of a recording got ${verdict.words}` }
        : { pass: false, reason: `an anonymous GET should get 403 AccessDenied, got ${verdict.words}` };
    },
  };
}

export function anonymousListDenied(anchor: string): Check {
  return {
    id: 'anonymous-list-denied',
    title: 'Strangers cannot list the bucket',
    hint: 'No s3:ListBucket for Principal "*": remove it from bucket/policy.json, and block public access.',
    lessonAnchor: anchor,
    async run(ctx) {
      const result = await ctx.http({ url: `${BUCKET_URL}/?list-type=2&max-keys=5` });
      if (result.status === 200) {
        const keys = [...result.text.matchAll(/<Key>([^<]*)<\/Key>/g)].length;
        return { pass: false, reason: `an anonymous list of the bucket returned ${keys} keys` };
      }
      const verdict = denied(result.status, result.text);
      return verdict.ok && s3Error(result.text).code === 'AccessDenied' ? { pass: true, reason: `an anonymous list got ${verdict.words}` } : { pass: false, reason: `an anonymous list should get 403 AccessDenied, got ${verdict.words}` };
    },
  };
}

export function oldPublicUrlFails(anchor: string): Check {
  return {
    id: 'old-public-url-fails',
    title: 'The permanent URLs stored in the database no longer work',
    hint: 'Those URLs were copied with the database: once the bucket is private, they must get 403.',
    lessonAnchor: anchor,
    async run(ctx) {
      const sample = sampleRecording(ctx, 3);
      if (!sample) return { pass: false, reason: '.lab/seeded.json is missing, so no stored URL can be tried' };
      const result = await ctx.http({ url: sample.url });
      if (result.status === 200) return { pass: false, reason: `the stored URL ${sample.url} still returns the recording` };
      return { pass: result.status === 403, reason: `the stored URL ${sample.url} got ${denied(result.status, result.text).words}` };
    },
  };
}

export function expiredLinkFails(anchor: string): Check {
  return {
    id: 'expired-link-fails',
    title: 'An expired presigned link is refused',
    hint: 'Presigned links carry their own expiry; the bucket refuses them once it passes. Keep the bucket private so only signed links work.',
    lessonAnchor: anchor,
    async run(ctx) {
      const sample = sampleRecording(ctx);
      if (!sample) return { pass: false, reason: '.lab/seeded.json is missing, so no recording can be tried' };
      const url = await expiredPresignedUrl(ctx, sample.key);
      const result = await ctx.http({ url });
      const error = s3Error(result.text);
      if (result.status === 200) return { pass: false, reason: 'a link that expired 45 minutes ago still returned the recording' };
      if (result.status === 403 && /Request has expired/i.test(error.message ?? '')) return { pass: true, reason: `a link that expired 45 minutes ago got HTTP 403 "${error.message}"` };
      return { pass: false, reason: `an expired link should get 403 "Request has expired", got ${denied(result.status, result.text).words}` };
    },
  };
}

export function ownerGetsWorkingLink(anchor: string): Check {
  return {
    id: 'owner-gets-link',
    title: 'A parent gets a short-lived link to their own recording, and it plays',
    hint: 'In api/app.js, answer GET /recordings/:id/link with presign(recording.key, 900) after checking the recording belongs to the logged-in parent.',
    lessonAnchor: anchor,
    async run(ctx) {
      const sample = sampleRecording(ctx);
      if (!sample) return { pass: false, reason: '.lab/seeded.json is missing, so no parent can be tried' };
      const session = await loginAsParent(ctx, sample.parent);
      if (!session.token) return { pass: false, reason: session.problem! };
      const mine = await myRecordings(ctx, session.token);
      if (mine.status !== 200) return { pass: false, reason: `listing ${sample.parent.email}'s recordings failed: ${describeResponse(mine)}` };
      const link = await recordingLink(ctx, session.token, sample.id);
      if (!link.url) return { pass: false, reason: `asking for a link to ${sample.parent.email}'s own recording failed: ${describeResponse(link.result)}` };
      const url = new URL(link.url);
      const expires = Number(url.searchParams.get('X-Amz-Expires'));
      if (!url.searchParams.has('X-Amz-Signature')) return { pass: false, reason: `the API handed out an unsigned link (${link.url}); hand out presigned links` };
      if (!Number.isFinite(expires) || expires > MAX_LINK_SECONDS) return { pass: false, reason: `the link is valid for ${expires} s; at most ${MAX_LINK_SECONDS} s (15 minutes)` };
      const clip = await ctx.http({ url: link.url });
      if (clip.status !== 200) return { pass: false, reason: `the link the API gave did not work: ${denied(clip.status, clip.text).words}` };
      const wav = describeWav(clip.body);
      if (!wav.ok) return { pass: false, reason: `the link returned something that is not a recording: ${wav.why}` };
      return { pass: true, reason: `${sample.parent.email} got a link valid for ${expires} s and it returned a ${wav.seconds.toFixed(1)} s recording` };
    },
  };
}

export function otherParentRefused(anchor: string): Check {
  return {
    id: 'other-parent-refused',
    title: "A parent cannot get a link to another family's recording",
    hint: "Before signing a link, check that recording.userId is the logged-in parent's id; answer 403 (or 404) otherwise.",
    lessonAnchor: anchor,
    async run(ctx) {
      const mine = sampleRecording(ctx);
      if (!mine) return { pass: false, reason: '.lab/seeded.json is missing, so no parents can be tried' };
      const theirs = anotherFamilysRecording(ctx, mine.parent.index);
      if (!theirs) return { pass: false, reason: 'this world has no other family with a recording to ask for' };
      const session = await loginAsParent(ctx, mine.parent);
      if (!session.token) return { pass: false, reason: session.problem! };
      const link = await recordingLink(ctx, session.token, theirs.id);
      if (link.url) {
        const clip = await ctx.http({ url: link.url });
        if (clip.status === 200) return { pass: false, reason: `${mine.parent.email} got a working link to ${theirs.parent.email}'s recording` };
        return { pass: false, reason: `the API handed ${mine.parent.email} a link to ${theirs.parent.email}'s recording (the bucket answered HTTP ${clip.status}, but the API must refuse)` };
      }
      if (link.result.status >= 500) return { pass: false, reason: `the API failed instead of refusing: ${describeResponse(link.result)}` };
      if (link.result.status < 400) return { pass: false, reason: `the API answered ${describeResponse(link.result)} instead of refusing` };
      return { pass: true, reason: `${mine.parent.email} asked for ${theirs.parent.email}'s recording and got HTTP ${link.result.status}` };
    },
  };
}

export function everyObjectPresent(anchor: string): Check {
  return {
    id: 'every-object-present',
    title: 'Every recording is still in the bucket',
    hint: 'Locking the bucket must not remove anything: "Reset lab" brings the objects back if they went missing.',
    lessonAnchor: anchor,
    timeoutMs: 30_000,
    async run(ctx) {
      const seeded = seededFacts(ctx);
      if (!seeded) return { pass: false, reason: '.lab/seeded.json is missing, so there is nothing to compare with' };
      const expected = seeded.counts.recordings ?? totalRecordings(seeded.options.users);
      let count = 0;
      let token: string | undefined;
      for (let page = 0; page < 10_000; page++) {
        const query = `list-type=2&max-keys=1000${token ? `&continuation-token=${encodeURIComponent(token)}` : ''}`;
        const url = await presignList(ctx, query);
        const result = await ctx.http({ url });
        if (result.status !== 200) return { pass: false, reason: `the owner could not list the bucket: ${denied(result.status, result.text).words}` };
        count += [...result.text.matchAll(/<Key>/g)].length;
        token = /<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(result.text)?.[1];
        if (!/<IsTruncated>true<\/IsTruncated>/.test(result.text) || !token) break;
      }
      if (count < expected) return { pass: false, reason: `the bucket holds ${count} of the ${expected} seeded recordings` };
      const sample = sampleRecording(ctx);
      if (sample) {
        const got = await ownerGet(ctx, sample.key);
        if (got.status !== 200) return { pass: false, reason: `${sample.key} is listed but cannot be read by its owner: HTTP ${got.status}` };
      }
      return { pass: true, reason: `all ${count} recordings are in the bucket` };
    },
  };
}

/** An owner-signed ListObjectsV2 URL, signed by the bucket's own presigner (the SDK's SigV4). */
function presignList(ctx: CheckContext, query: string): Promise<string> {
  return presignGet(owner(ctx), BUCKET_URL, '', 60, new Date(), Object.fromEntries(new URLSearchParams(query)));
}
