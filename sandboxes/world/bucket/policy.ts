/**
 * Bucket policies: the AWS JSON policy grammar, validated with AWS's own error wording
 * ("Policy has invalid action", "Action does not apply to any resource(s) in statement", …)
 * plus a pointer to the exact statement and field, then evaluated for a request the way S3
 * does: an explicit Deny wins, otherwise an Allow is needed, otherwise access is denied.
 *
 * Supported: Version, Id, Statement[] with Sid, Effect, Principal, Action/NotAction,
 * Resource/NotResource. Condition and NotPrincipal are rejected with a clear message rather
 * than silently ignored, so a policy never means less than the learner thinks.
 */

export class PolicyError extends Error {
  override name = 'PolicyError';
}

export type Effect = 'Allow' | 'Deny';

export interface Statement {
  sid?: string;
  effect: Effect;
  /** true when the statement applies to everyone (Principal "*" or {"AWS": "*"}) */
  anyone: boolean;
  principals: string[];
  actions: string[];
  notActions: boolean;
  resources: string[];
  notResources: boolean;
}

export interface BucketPolicy {
  version: string;
  statements: Statement[];
}

/** The S3 actions a policy may name (matching is case-insensitive, wildcards * and ?). */
const OBJECT_ACTIONS = [
  'GetObject', 'PutObject', 'DeleteObject', 'GetObjectAcl', 'PutObjectAcl', 'GetObjectVersion', 'DeleteObjectVersion',
  'GetObjectTagging', 'PutObjectTagging', 'AbortMultipartUpload', 'ListMultipartUploadParts', 'RestoreObject',
  'GetObjectAttributes',
];
const BUCKET_ACTIONS = [
  'ListBucket', 'ListBucketVersions', 'ListBucketMultipartUploads', 'GetBucketPolicy', 'PutBucketPolicy', 'DeleteBucketPolicy',
  'GetBucketAcl', 'PutBucketAcl', 'GetBucketLocation', 'GetBucketPublicAccessBlock', 'PutBucketPublicAccessBlock',
  'GetBucketPolicyStatus', 'DeleteBucket', 'GetBucketVersioning', 'PutBucketVersioning', 'GetBucketCORS', 'PutBucketCORS',
];
const ACCOUNT_ACTIONS = ['ListAllMyBuckets', 'CreateBucket'];
const KNOWN_ACTIONS = [...OBJECT_ACTIONS, ...BUCKET_ACTIONS, ...ACCOUNT_ACTIONS].map((a) => `s3:${a}`);
const OBJECT_ACTION_SET = new Set(OBJECT_ACTIONS.map((a) => `s3:${a}`.toLowerCase()));
const BUCKET_ACTION_SET = new Set(BUCKET_ACTIONS.map((a) => `s3:${a}`.toLowerCase()));

const TOP_LEVEL_KEYS = ['Version', 'Id', 'Statement'];
const STATEMENT_KEYS = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];

/** IAM wildcard match: * any run of characters, ? one character. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'is' : 's').test(value);
}

function list(value: unknown, where: string): string[] {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) throw new PolicyError(`${where} must not be empty`);
  for (const item of items) {
    if (typeof item !== 'string') throw new PolicyError(`${where} must be a string or a list of strings (found ${JSON.stringify(item)})`);
  }
  return items as string[];
}

function parsePrincipal(value: unknown, where: string): { anyone: boolean; principals: string[] } {
  if (value === '*') return { anyone: true, principals: ['*'] };
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const principals: string[] = [];
    let anyone = false;
    for (const [kind, ids] of Object.entries(value)) {
      if (!['AWS', 'CanonicalUser', 'Service', 'Federated'].includes(kind)) {
        throw new PolicyError(`Invalid principal in policy: ${where} has unknown principal type "${kind}" (use "*" or {"AWS": "*"} for everyone)`);
      }
      for (const id of list(ids, `${where}.${kind}`)) {
        if (kind === 'AWS' && id === '*') anyone = true;
        else if (kind === 'AWS' && !/^(\d{12}|arn:aws:iam::\d{12}:(root|user\/.+|role\/.+))$/.test(id)) {
          throw new PolicyError(`Invalid principal in policy: ${where}.AWS "${id}" is not "*", a 12-digit account id or an IAM ARN`);
        }
        principals.push(`${kind}:${id}`);
      }
    }
    return { anyone, principals };
  }
  throw new PolicyError(`Invalid principal in policy: ${where} must be "*" or an object such as {"AWS": "*"} (found ${JSON.stringify(value)})`);
}

function checkAction(action: string, where: string): void {
  if (action === '*') return;
  if (!/^s3:[A-Za-z*?]+$/.test(action)) {
    throw new PolicyError(`Policy has invalid action: ${where} "${action}" must look like "s3:GetObject" (service prefix "s3:", then an action name or a wildcard)`);
  }
  if (!KNOWN_ACTIONS.some((known) => wildcardMatch(action, known, true))) {
    throw new PolicyError(`Policy has invalid action: ${where} "${action}" is not an S3 action (for example s3:GetObject, s3:ListBucket, s3:*)`);
  }
}

function checkResource(resource: string, bucket: string, where: string): void {
  if (resource === '*') return;
  const match = /^arn:aws:s3:::([^/]+)(\/.*)?$/.exec(resource);
  if (!match) {
    throw new PolicyError(`Policy has invalid resource: ${where} "${resource}" must be an S3 ARN such as "arn:aws:s3:::${bucket}" or "arn:aws:s3:::${bucket}/*"`);
  }
  if (!wildcardMatch(match[1]!, bucket)) {
    throw new PolicyError(`Policy has invalid resource: ${where} "${resource}" names bucket "${match[1]}", but this policy belongs to bucket "${bucket}"`);
  }
}

/** Which kinds of resource a resource pattern can stand for. */
function resourceKinds(resource: string): { bucket: boolean; object: boolean } {
  if (resource === '*') return { bucket: true, object: true };
  const slash = resource.indexOf('/');
  if (slash === -1) return { bucket: true, object: resource.endsWith('*') };
  return { bucket: false, object: true };
}

export function parseBucketPolicy(text: string, bucket: string, source = 'bucket policy'): BucketPolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PolicyError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new PolicyError(`${source} must be a JSON object with "Version" and "Statement"`);
  const doc = raw as Record<string, unknown>;
  for (const key of Object.keys(doc)) {
    if (!TOP_LEVEL_KEYS.includes(key)) throw new PolicyError(`${source}: unknown top-level key "${key}" (allowed: ${TOP_LEVEL_KEYS.join(', ')}; keys are case-sensitive)`);
  }
  const version = doc.Version ?? '2008-10-17';
  if (version !== '2012-10-17' && version !== '2008-10-17') {
    throw new PolicyError(`${source}: "Version" must be "2012-10-17" (found ${JSON.stringify(version)}); it is the policy language version, not today's date`);
  }
  if (doc.Statement === undefined) throw new PolicyError(`${source}: missing "Statement" (a list of statements)`);
  const rawStatements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  if (rawStatements.length === 0) throw new PolicyError(`${source}: "Statement" must not be empty`);

  const statements = rawStatements.map((value, i): Statement => {
    const where = `Statement[${i}]`;
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new PolicyError(`${source}: ${where} must be an object`);
    const st = value as Record<string, unknown>;
    for (const key of Object.keys(st)) {
      if (!STATEMENT_KEYS.includes(key)) throw new PolicyError(`${source}: ${where} has unknown key "${key}" (allowed: ${STATEMENT_KEYS.join(', ')}; keys are case-sensitive)`);
    }
    if (st.Condition !== undefined) throw new PolicyError(`${source}: ${where}.Condition is not supported by the lab bucket; remove it`);
    if (st.NotPrincipal !== undefined) throw new PolicyError(`${source}: ${where}.NotPrincipal is not supported by the lab bucket; use "Principal"`);
    if (st.Sid !== undefined && (typeof st.Sid !== 'string' || !/^[A-Za-z0-9]*$/.test(st.Sid))) {
      throw new PolicyError(`${source}: ${where}.Sid must contain only letters and digits (found ${JSON.stringify(st.Sid)})`);
    }
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') {
      throw new PolicyError(`${source}: ${where}.Effect must be "Allow" or "Deny", with that capitalisation (found ${JSON.stringify(st.Effect)})`);
    }
    if (st.Principal === undefined) throw new PolicyError(`${source}: ${where} is missing "Principal" (bucket policies must say who: "*" means everyone)`);
    const { anyone, principals } = parsePrincipal(st.Principal, `${where}.Principal`);

    if ((st.Action === undefined) === (st.NotAction === undefined)) throw new PolicyError(`${source}: ${where} needs exactly one of "Action" or "NotAction"`);
    const notActions = st.Action === undefined;
    const actionField = notActions ? 'NotAction' : 'Action';
    const actions = list(notActions ? st.NotAction : st.Action, `${source}: ${where}.${actionField}`);
    actions.forEach((action, j) => checkAction(action, `${where}.${actionField}[${j}]`));

    if ((st.Resource === undefined) === (st.NotResource === undefined)) throw new PolicyError(`${source}: ${where} needs exactly one of "Resource" or "NotResource"`);
    const notResources = st.Resource === undefined;
    const resourceField = notResources ? 'NotResource' : 'Resource';
    const resources = list(notResources ? st.NotResource : st.Resource, `${source}: ${where}.${resourceField}`);
    resources.forEach((resource, j) => checkResource(resource, bucket, `${where}.${resourceField}[${j}]`));

    // AWS refuses e.g. s3:GetObject on "arn:aws:s3:::bucket" (objects live at bucket/*).
    if (!notActions && !notResources) {
      for (const action of actions) {
        const expanded = action === '*' ? KNOWN_ACTIONS : KNOWN_ACTIONS.filter((known) => wildcardMatch(action, known, true));
        const fits = expanded.some((known) => {
          const lower = known.toLowerCase();
          return resources.some((resource) => {
            const kinds = resourceKinds(resource);
            return (OBJECT_ACTION_SET.has(lower) && kinds.object) || (BUCKET_ACTION_SET.has(lower) && kinds.bucket) || resource === '*';
          });
        });
        if (!fits) {
          const hint = expanded.some((k) => OBJECT_ACTION_SET.has(k.toLowerCase()))
            ? `object actions need an object ARN such as "arn:aws:s3:::${bucket}/*"`
            : `bucket actions need the bucket ARN "arn:aws:s3:::${bucket}"`;
          throw new PolicyError(`Action does not apply to any resource(s) in statement: ${source}: ${where} "${action}" (${hint})`);
        }
      }
    }
    return { sid: st.Sid as string | undefined, effect: st.Effect, anyone, principals, actions, notActions, resources, notResources };
  });
  return { version: version as string, statements };
}

function statementMatches(statement: Statement, action: string, resource: string): boolean {
  const actionHit = statement.actions.some((pattern) => pattern === '*' || wildcardMatch(pattern, action, true));
  if (actionHit === statement.notActions) return false;
  const resourceHit = statement.resources.some((pattern) => pattern === '*' || wildcardMatch(pattern, resource));
  return resourceHit !== statement.notResources;
}

export type Decision = 'allow' | 'deny' | 'implicit-deny';

/** What the policy says about an anonymous request (action "s3:GetObject", resource ARN). */
export function evaluateAnonymous(policy: BucketPolicy | undefined, action: string, resource: string): Decision {
  if (!policy) return 'implicit-deny';
  let allowed = false;
  for (const statement of policy.statements) {
    if (!statement.anyone || !statementMatches(statement, action, resource)) continue;
    if (statement.effect === 'Deny') return 'deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}

/** AWS's definition, simplified by our lack of Conditions: a policy is public if it allows anything to everyone. */
export function isPublicPolicy(policy: BucketPolicy | undefined): boolean {
  return !!policy?.statements.some((statement) => statement.effect === 'Allow' && statement.anyone);
}
