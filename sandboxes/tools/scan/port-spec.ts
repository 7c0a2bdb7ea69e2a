/** nmap-style port lists: "27017", "80,443", "1-1024", "-" (all). */
import { UsageError } from '../../command-line/arguments.ts';

/** The ports a default scan tries: the services an internet-wide scanner checks first. */
export const COMMON_PORTS: readonly number[] = [21, 22, 23, 25, 53, 80, 110, 143, 443, 445, 1433, 3306, 3389, 5432, 5900, 5984, 6379, 8000, 8080, 8443, 9200, 11211, 27017, 27018, 27019];

/** nmap's names for the ports it reports closed or unidentified. */
export const WELL_KNOWN_SERVICES: Record<number, string> = {
  21: 'ftp', 22: 'ssh', 23: 'telnet', 25: 'smtp', 53: 'domain', 80: 'http', 110: 'pop3', 143: 'imap', 443: 'https',
  445: 'microsoft-ds', 1433: 'ms-sql-s', 3306: 'mysql', 3389: 'ms-wbt-server', 5432: 'postgresql', 5900: 'vnc',
  5984: 'couchdb', 6379: 'redis', 8000: 'http-alt', 8080: 'http-proxy', 8443: 'https-alt', 9200: 'elasticsearch',
  11211: 'memcache', 27017: 'mongod', 27018: 'mongod', 27019: 'mongod',
};

export function parsePortSpec(spec: string): number[] {
  const text = spec.trim();
  if (text === '-' || text === '1-65535') return Array.from({ length: 65535 }, (_, i) => i + 1);
  const ports = new Set<number>();
  for (const part of text.split(',')) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!range) throw new UsageError(`scan: cannot read port list '${spec}' (examples: -p 27017, -p 80,443, -p 1-1024, -p-)`);
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (from < 1 || to > 65535 || from > to) throw new UsageError(`scan: port range '${part}' must lie within 1-65535`);
    for (let port = from; port <= to; port++) ports.add(port);
  }
  return [...ports].sort((a, b) => a - b);
}
