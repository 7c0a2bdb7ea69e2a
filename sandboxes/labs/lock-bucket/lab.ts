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
