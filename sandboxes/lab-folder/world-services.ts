/**
 * The world's services as `.lab/world.json` describes them once the world is ready (written by
 * sandboxes/lab-session/world-process.ts): a typed reading of `WorldInfo.services` for the
 * checks and the runtimes, instead of each reaching into an untyped record.
 */
import type { WorldInfo } from './paths.ts';

export interface WorldServices {
  /** Simulated host name -> simulated address (db.cloudpets.test -> 203.0.113.10, …). */
  addresses?: Record<string, string>;
  /** What the world noticed in the learner's files but could live with. */
  warnings?: string[];
  /** Whether this start seeded the database and the bucket (only the first start of a folder does). */
  seeded?: boolean;
  db?: { uri?: string; logPath?: string; listeners?: { address: string; host: string; port: number }[] };
  bucket?: { url?: string; name?: string };
  /** The app API; `loadError` when the learner's api/ code does not load. */
  api?: { url?: string; loadError?: string };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The services of a world.json, keeping only fields of the expected types (the file may be old or hand-edited). */
export function readWorldServices(info: Pick<WorldInfo, 'services'> | undefined): WorldServices | undefined {
  const raw = info?.services;
  if (!isRecord(raw)) return undefined;
  const services: WorldServices = {};
  if (isRecord(raw.addresses)) services.addresses = Object.fromEntries(Object.entries(raw.addresses).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  if (Array.isArray(raw.warnings)) services.warnings = raw.warnings.map(String);
  if (typeof raw.seeded === 'boolean') services.seeded = raw.seeded;
  if (isRecord(raw.db)) {
    const listeners = Array.isArray(raw.db.listeners)
      ? raw.db.listeners.filter((l): l is { address: string; host: string; port: number } => isRecord(l) && typeof l.address === 'string' && typeof l.host === 'string' && typeof l.port === 'number')
      : undefined;
    services.db = { uri: typeof raw.db.uri === 'string' ? raw.db.uri : undefined, logPath: typeof raw.db.logPath === 'string' ? raw.db.logPath : undefined, listeners };
  }
  if (isRecord(raw.bucket)) services.bucket = { url: typeof raw.bucket.url === 'string' ? raw.bucket.url : undefined, name: typeof raw.bucket.name === 'string' ? raw.bucket.name : undefined };
  if (isRecord(raw.api)) services.api = { url: typeof raw.api.url === 'string' ? raw.api.url : undefined, loadError: typeof raw.api.loadError === 'string' ? raw.api.loadError : undefined };
  return services;
}
