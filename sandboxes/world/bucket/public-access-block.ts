/**
 * S3 Block Public Access: the four switches, read from the lab's
 * bucket/public-access-block.json (the shape of PutPublicAccessBlock's configuration).
 */
export class PublicAccessBlockError extends Error {
  override name = 'PublicAccessBlockError';
}

export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

export const SWITCHES = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

export const ALL_OFF: PublicAccessBlock = { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };

export function parsePublicAccessBlock(text: string, source = 'public access block'): PublicAccessBlock {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PublicAccessBlockError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new PublicAccessBlockError(`${source} must be an object with the four switches ${SWITCHES.join(', ')}`);
  }
  // Accept the CLI's output shape too: {"PublicAccessBlockConfiguration": {...}}.
  const doc = ('PublicAccessBlockConfiguration' in raw ? (raw as Record<string, unknown>).PublicAccessBlockConfiguration : raw) as Record<string, unknown>;
  const result = { ...ALL_OFF };
  for (const [key, value] of Object.entries(doc ?? {})) {
    const known = SWITCHES.find((name) => name === key);
    if (!known) {
      const near = SWITCHES.find((name) => name.toLowerCase() === key.toLowerCase());
      throw new PublicAccessBlockError(`${source}: unknown setting "${key}"${near ? ` (did you mean "${near}"? names are case-sensitive)` : ''}; the settings are ${SWITCHES.join(', ')}`);
    }
    if (typeof value !== 'boolean') throw new PublicAccessBlockError(`${source}: ${key} must be true or false without quotes (found ${JSON.stringify(value)})`);
    result[known] = value;
  }
  return result;
}
