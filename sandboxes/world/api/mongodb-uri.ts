/**
 * Rewrites the hosts of a mongodb:// connection string through the lab network, so the
 * app's "localhost:27017" reaches the database's loopback listener. Hand-written because
 * only the host list changes (credentials, database and options stay byte for byte), and
 * a regex over the documented URI shape is clearer than a parser round trip.
 */
export class MongoUriError extends Error {
  override name = 'MongoUriError';
}

export type HostTranslator = (host: string, port: number) => { host: string; port: number };

export function translateMongoUri(uri: string, translate: HostTranslator): string {
  const match = /^mongodb:\/\/([^@/?]*@)?([^/?]+)(.*)$/.exec(uri);
  if (!match) throw new MongoUriError(`"${uri}" is not a mongodb:// connection string (expected mongodb://[user:password@]host[:port]/database)`);
  const [, credentials = '', hostList, rest] = match;
  const hosts = hostList!.split(',').map((entry) => {
    const hostMatch = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry);
    if (!hostMatch) throw new MongoUriError(`bad host "${entry}" in the connection string`);
    const real = translate(hostMatch[1]!.replace(/^\[|\]$/g, ''), hostMatch[2] ? Number(hostMatch[2]) : 27017);
    return `${real.host}:${real.port}`;
  });
  return `mongodb://${credentials}${hosts.join(',')}${rest}`;
}

/** The connection string with its password hidden, for messages. */
export function redactMongoUri(uri: string): string {
  return uri.replace(/^(mongodb:\/\/[^:@/]*:)[^@/]*@/, '$1****@');
}
