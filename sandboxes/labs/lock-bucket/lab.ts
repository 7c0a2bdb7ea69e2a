import type { LabDefinition } from '../../checks/types.ts';
import {
  anonymousGetDenied,
  anonymousListDenied,
  everyObjectPresent,
  expiredLinkFails,
  oldPublicUrlFails,
  otherParentRefused,
  ownerGetsWorkingLink,
} from '../../checks/library/bucket-checks.ts';
import { nothingLost } from '../../checks/library/database-checks.ts';

const lesson = '08-lock-the-bucket';
const at = (heading: string): string => `${lesson}#${heading}`;

const lab: LabDefinition = {
  meta: {
    id: 'lock-bucket',
    title: 'Lock the bucket',
    kind: 'fix',
    lesson,
    labSection: 'lab-lock-the-bucket',
    editable: ['bucket/policy.json', 'bucket/public-access-block.json', 'api/app.js'],
    goal: 'Block public access to the recordings and have the API hand out short-lived presigned links, only to the recording\'s owner.',
    challenge: {
      brief: "Make the recordings private: strangers can neither list nor download them, the old public URLs stop working, and the API hands each parent a short-lived link to their own recordings only. Every recording must stay in the bucket.",
      hints: [
        "Two switches make a bucket public: its policy and Block Public Access. Private objects are still reachable through presigned URLs, which the app can make.",
        "Empty bucket/policy.json, set all four switches in bucket/public-access-block.json to true, and in api/app.js make recordingLink return `presign(recording.key, 900)` when `recording.userId === user.id`, else null.",
        "bucket/policy.json: empty. bucket/public-access-block.json: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets all true. api/app.js: async recordingLink(recording, { presign, user }) { if (String(recording.userId) !== String(user.id)) return null; return presign(recording.key, 900); }. Run `checks`.",
      ],
    },
  },
  checks: [
    anonymousGetDenied(at('step-1-block-public-access')),
    anonymousListDenied(at('step-2-remove-the-public-policy')),
    oldPublicUrlFails(at('step-1-block-public-access')),
    expiredLinkFails(at('step-3-hand-out-presigned-links')),
    otherParentRefused(at('step-4-only-the-owner-gets-a-link')),
    ownerGetsWorkingLink(at('step-3-hand-out-presigned-links')),
    everyObjectPresent(at('what-the-checks-prove')),
    nothingLost(at('what-the-checks-prove')),
  ],
};

export default lab;
