/**
 * `scan`: what an internet-wide scanner (nmap -sV, Shodan) sees of the lab network. Every
 * simulated host:port goes through the lab network map; a port the map does not list is
 * closed (refused) without any socket being opened, and an open one is probed on its real
 * loopback listener only.
 */
import { LabNetworkError, loadLabNetwork, resolveLabEndpoint, type NetworkMap } from '../lab-connection/lab-endpoint.ts';
import type { ToolIO } from '../program/tool-io.ts';
import { flag, stringOption, UsageError, openCommandLine } from '../../command-line/arguments.ts';
import { COMMON_PORTS, parsePortSpec, WELL_KNOWN_SERVICES } from './port-spec.ts';
import { probeHttp, type HttpBanner } from './probe-http.ts';
import { probeMongo, type MongoBanner } from './probe-mongodb.ts';
import { hostsForTarget, type ScanHost } from './scan-targets.ts';

export const SCAN_EXIT = { ok: 0, noHosts: 1, usage: 2 } as const;

export const SCAN_HELP = `Usage: scan [options] <target>...
Probe hosts of the lab network for open ports and print what answers, like nmap -sV or a
Shodan host page. A target is a domain (cloudpets.test: every host under it), a host name
(db.cloudpets.test), a simulated address (203.0.113.10) or a range (203.0.113.0/24).

Options:
  -p, --ports <list>     ports to probe: 27017 | 80,443 | 1-1024 | - (all 65535)
                         default: ${COMMON_PORTS.length} common ports (${COMMON_PORTS.join(',')})
  --open                 list only open ports
  --timeout <ms>         give up on a silent service after this long (default 3000)
  --json                 print the results as JSON (one object per host, open ports only)
  -h, --help             this help

For MongoDB it reports the product, the version (from buildInfo) and
"authentication: disabled" when an anonymous listDatabases succeeds ("required" otherwise);
for HTTP the status, the Server header and the page title.
Only the lab's own loopback listeners named in the lab network map are ever contacted.

Exit codes: 0 scan done (whatever it found), 1 no target resolved or no lab network map,
2 bad arguments.`;

type Banner = MongoBanner | HttpBanner;

export interface PortResult {
  port: number;
  state: 'open' | 'closed';
  banner?: Banner;
}

export interface HostResult {
  host: ScanHost;
  /** Every scanned port, open and closed, in port order. */
  ports: PortResult[];
}

/**
 * The scan as data, for checks that replay the discovery step ("is 27017 still open, does
 * it still answer listDatabases without a password?"). Same probes as the command.
 */
export async function scanLabHosts(map: NetworkMap, hosts: ScanHost[], ports: readonly number[], timeoutMs = 3000): Promise<HostResult[]> {
  const results: HostResult[] = [];
  for (const host of hosts) {
    const scanned: PortResult[] = [];
    for (const port of ports) scanned.push(await scanPort(map, host, port, timeoutMs));
    results.push({ host, ports: scanned });
  }
  return results;
}

export async function scanMain(argv: string[], io: ToolIO): Promise<number> {
  // nmap's "-p-" means every port; parseArgs would read it as -p with value "-", which is what we want.
  const parsed = openCommandLine({ name: 'scan', help: SCAN_HELP, usageExit: SCAN_EXIT.usage, io }, argv, {
    ports: { type: 'string', short: 'p' },
    open: { type: 'boolean' },
    timeout: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  let ports: number[];
  let timeoutMs = 3000;
  try {
    if (positionals.length === 0) throw new UsageError(`scan: no target given, e.g. 'scan cloudpets.test' or 'scan db.cloudpets.test -p 27017'`);
    const spec = stringOption(values, 'ports');
    ports = spec === undefined ? [...COMMON_PORTS] : parsePortSpec(spec);
    const timeout = stringOption(values, 'timeout');
    if (timeout !== undefined) {
      if (!/^\d+$/.test(timeout) || Number(timeout) < 1) throw new UsageError(`scan: --timeout must be a number of milliseconds, got '${timeout}'`);
      timeoutMs = Number(timeout);
    }
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\nTry 'scan --help' for the list of options.\n`);
    return SCAN_EXIT.usage;
  }

  let map: NetworkMap;
  try {
    map = loadLabNetwork(io);
  } catch (error) {
    io.stderr.write(`scan: ${(error as Error).message}\n`);
    return SCAN_EXIT.noHosts;
  }

  const json = flag(values, 'json');
  const started = new Date();
  if (!json) io.stdout.write(`Starting scan at ${started.toISOString().replace('T', ' ').slice(0, 16)} UTC (lab network)\n`);
  const hosts: ScanHost[] = [];
  for (const target of positionals) {
    const found = hostsForTarget(map, target);
    if (!found || found.length === 0) {
      io.stderr.write(`scan: failed to resolve "${target}": not a host of the lab network\n`);
      continue;
    }
    for (const host of found) if (!hosts.some((known) => known.name === host.name)) hosts.push(host);
  }
  if (hosts.length === 0) {
    if (!json) io.stdout.write(`Scan done: 0 hosts scanned\n`);
    return SCAN_EXIT.noHosts;
  }

  const results: HostResult[] = [];
  for (const host of hosts) {
    // One host at a time, printed as soon as it is done, as nmap does.
    const [result] = await scanLabHosts(map, [host], ports, timeoutMs);
    results.push(result!);
    if (!json) io.stdout.write('\n' + formatHostReport(host, result!.ports, ports.length, flag(values, 'open')) + '\n');
  }
  if (json) {
    const data = results.map(({ host, ports: scanned }) => ({ ...host, open: scanned.filter((port) => port.state === 'open') }));
    io.stdout.write(JSON.stringify(data, null, 2) + '\n');
    return SCAN_EXIT.ok;
  }
  const summary = results.map(({ host, ports: scanned }) => ({ host, open: scanned.filter((port) => port.state === 'open') }));
  io.stdout.write('\n' + formatSummary(summary) + '\n');
  const openCount = summary.reduce((n, entry) => n + entry.open.length, 0);
  const seconds = ((Date.now() - started.getTime()) / 1000).toFixed(2);
  io.stdout.write(`\nScan done: ${hosts.length} host${hosts.length === 1 ? '' : 's'} up, ${openCount} open port${openCount === 1 ? '' : 's'}, scanned in ${seconds} seconds\n`);
  return SCAN_EXIT.ok;
}

async function scanPort(map: NetworkMap, host: ScanHost, port: number, timeoutMs: number): Promise<PortResult> {
  let endpoint;
  try {
    endpoint = resolveLabEndpoint(map, host.name, port);
  } catch (error) {
    if (error instanceof LabNetworkError) return { port, state: 'closed' };
    throw error;
  }
  const hostHeader = port === 80 ? host.name : `${host.name}:${port}`;
  const mongoFirst = WELL_KNOWN_SERVICES[port] === 'mongod' || ![80, 443, 8000, 8080, 8443].includes(port);
  const probes = mongoFirst
    ? [() => probeMongo(endpoint, timeoutMs), () => probeHttp(endpoint, hostHeader, timeoutMs)]
    : [() => probeHttp(endpoint, hostHeader, timeoutMs), () => probeMongo(endpoint, timeoutMs)];
  for (const probe of probes) {
    const banner = await probe();
    if (banner) return { port, state: 'open', banner };
  }
  return { port, state: 'open' };
}

function serviceName(result: PortResult): string {
  if (result.banner) return result.banner.service;
  return WELL_KNOWN_SERVICES[result.port] ?? 'unknown';
}

function versionText(banner: Banner | undefined): string {
  if (!banner) return '';
  if (banner.service === 'mongodb') return `MongoDB ${banner.version}`;
  const product = banner.server ?? (banner.s3Error || banner.bucketListing ? 'S3-compatible object storage' : '');
  return [product, banner.title ? `(${banner.title})` : ''].filter(Boolean).join(' ');
}

export function formatHostReport(host: ScanHost, results: PortResult[], scanned: number, openOnly: boolean): string {
  const lines = [`Scan report for ${host.name} (${host.address})`, 'Host is up.'];
  const open = results.filter((result) => result.state === 'open');
  const closed = results.length - open.length;
  if (open.length === 0) {
    lines.push(`All ${scanned} scanned ports on ${host.name} (${host.address}) are closed (conn-refused)`);
    return lines.join('\n');
  }
  const shown = openOnly || closed > 10 ? open : results;
  if (shown.length < results.length) lines.push(`Not shown: ${closed} closed tcp port${closed === 1 ? '' : 's'} (conn-refused)`);
  const rows = shown.map((result) => [`${result.port}/tcp`, result.state, serviceName(result), versionText(result.banner)]);
  const widths = [0, 1, 2].map((i) => Math.max(['PORT', 'STATE', 'SERVICE'][i]!.length, ...rows.map((row) => row[i]!.length)));
  const row = (cells: string[]) => cells.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join(' ').trimEnd();
  lines.push(row(['PORT', 'STATE', 'SERVICE', 'VERSION']));
  for (const [index, result] of shown.entries()) {
    lines.push(row(rows[index]!));
    lines.push(...scriptOutput(result.banner));
  }
  return lines.join('\n');
}

/** The "| mongodb-info:" blocks nmap's scripts print under a port. */
function scriptOutput(banner: Banner | undefined): string[] {
  if (!banner) return [];
  const facts: string[] = [];
  if (banner.service === 'mongodb') {
    facts.push(`product: ${banner.product}`, `version: ${banner.version}`);
    if (banner.maxWireVersion !== undefined) facts.push(`maxWireVersion: ${banner.maxWireVersion}`);
    facts.push(`authentication: ${banner.authentication}`);
    if (banner.databases) {
      facts.push(`databases (${banner.databases.length}): ${banner.databases.map((db) => `${db.name} (${formatSize(db.sizeOnDisk)})`).join(', ')}`);
      facts.push(`totalSize: ${formatSize(banner.totalSize ?? 0)}`);
    }
    if (banner.listError) facts.push(`listDatabases: ${banner.listError}`);
  } else {
    facts.push(`status: ${banner.status}`);
    if (banner.server) facts.push(`server: ${banner.server}`);
    if (banner.title) facts.push(`title: ${banner.title}`);
    if (banner.contentType) facts.push(`content-type: ${banner.contentType}`);
    if (banner.s3Error) facts.push(`S3 error: ${banner.s3Error}`);
    if (banner.bucketListing) facts.push(`S3 bucket listing is public: ${banner.bucketListing.name ?? '(unnamed)'}, ${banner.bucketListing.keys} keys on the first page`);
    if (banner.bodyStart) facts.push(`body: ${banner.bodyStart}${banner.bodyStart.length >= 100 ? '...' : ''}`);
  }
  const title = banner.service === 'mongodb' ? 'mongodb-info' : 'http-info';
  return [`| ${title}:`, ...facts.map((fact, i) => `${i === facts.length - 1 ? '|_' : '| '}  ${fact}`)];
}

function formatSummary(entries: { host: ScanHost; open: PortResult[] }[]): string {
  const lines = ['== Summary (Shodan style) =='];
  for (const { host, open } of entries) {
    lines.push(`${host.address.padEnd(15)} ${host.name}`);
    if (open.length === 0) lines.push('    no open ports');
    for (const result of open) {
      const banner = result.banner;
      let text = `    ${`${result.port}/tcp`.padEnd(10)} ${(versionText(banner) || serviceName(result)).padEnd(30)}`;
      if (banner?.service === 'mongodb') {
        text += ` authentication: ${banner.authentication}`;
        if (banner.databases) text += `; ${banner.databases.length} databases, ${formatSize(banner.totalSize ?? 0)}`;
      } else if (banner?.service === 'http') {
        text += ` ${banner.status}`;
        if (banner.bucketListing) text += '; public bucket listing';
      }
      lines.push(text.trimEnd());
    }
  }
  return lines.join('\n');
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
