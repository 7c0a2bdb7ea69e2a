import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { scanLabHosts, scanMain } from '../../sandboxes/tools/scan/scan.ts';
import { COMMON_PORTS } from '../../sandboxes/tools/scan/port-spec.ts';
import { startHttpFixture, type HttpFixture } from './support/http-fixture.ts';
import { startLabDatabase, type LabDatabase } from './support/lab-database.ts';
import { tempLab, type TempLab } from './support/tool-harness.ts';

let open: LabDatabase;
let secured: LabDatabase;
let http: HttpFixture;
let lab: TempLab;

beforeAll(async () => {
  open = await startLabDatabase();
  secured = await startLabDatabase({ auth: { user: 'admin', pwd: 'pw' } });
  http = await startHttpFixture();
  await open.client.db('cloudpets').collection('users').insertOne({ email: 'a@example.com' });
  lab = tempLab();
  lab.writeMap({
    'db.cloudpets.test': { address: '203.0.113.10', ports: { '27017': { host: '127.0.0.1', port: open.port } } },
    'bucket.cloudpets.test': { address: '203.0.113.20', ports: { '80': { host: '127.0.0.1', port: http.port } } },
    // A database on an unusual port, found by trying the HTTP probe first and MongoDB second.
    'api.cloudpets.test': { address: '203.0.113.30', ports: { '8080': { host: '127.0.0.1', port: secured.port } } },
    // A map entry that points off the machine must never be contacted.
    'evil.cloudpets.test': { address: '203.0.113.99', ports: { '80': { host: '192.0.2.1', port: 80 } } },
  });
});
afterAll(async () => {
  await open?.close();
  await secured?.close();
  await http?.close();
  lab?.cleanup();
});

describe('scan', () => {
  it('prints --help with the default ports and exit codes', async () => {
    const run = await lab.run(scanMain, ['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(COMMON_PORTS.join(','));
    expect(run.stdout).toMatch(/Exit codes/);
  });

  it('finds the open database: port, product, version, authentication disabled', async () => {
    const run = await lab.run(scanMain, ['db.cloudpets.test']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Scan report for db.cloudpets.test (203.0.113.10)');
    expect(run.stdout).toMatch(/^PORT\s+STATE SERVICE VERSION$/m);
    expect(run.stdout).toMatch(/^27017\/tcp open\s+mongodb MongoDB \d+\.\d+\.\d+$/m);
    expect(run.stdout).toMatch(/\|\s+authentication: disabled/);
    expect(run.stdout).toMatch(/databases \(\d+\): .*cloudpets/);
    expect(run.stdout).toMatch(/Not shown: 24 closed tcp ports \(conn-refused\)/);
    expect(run.stdout).toMatch(/== Summary \(Shodan style\) ==\n203\.0\.113\.10\s+db\.cloudpets\.test\n\s+27017\/tcp\s+MongoDB \S+\s+authentication: disabled/);
  });

  it('scans a whole domain, reads HTTP banners, and tells a secured database apart', async () => {
    const run = await lab.run(scanMain, ['cloudpets.test', '--open']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^80\/tcp\s+open\s+http\s+AmazonS3 \(CloudPets test page\)$/m);
    expect(run.stdout).toMatch(/server: AmazonS3/);
    expect(run.stdout).toMatch(/^8080\/tcp\s+open\s+mongodb MongoDB /m);
    expect(run.stdout).toMatch(/authentication: required/);
    expect(run.stdout).toMatch(/Scan report for evil\.cloudpets\.test \(203\.0\.113\.99\)\nHost is up\.\nAll 25 scanned ports .* are closed/);
    expect(http.requests.some((request) => request.headers.host === 'bucket.cloudpets.test')).toBe(true);
  });

  it('scans one port with -p, a range, an address and a CIDR range', async () => {
    const one = await lab.run(scanMain, ['-p', '27017', '203.0.113.10']);
    expect(one.stdout).toMatch(/^27017\/tcp open\s+mongodb/m);
    expect(one.stdout).not.toContain('Not shown');
    const closed = await lab.run(scanMain, ['db.cloudpets.test', '-p', '3306,5432']);
    expect(closed.stdout).toMatch(/All 2 scanned ports on db\.cloudpets\.test \(203\.0\.113\.10\) are closed/);
    const range = await lab.run(scanMain, ['203.0.113.0/24', '-p', '1-100', '--open']);
    expect(range.stdout).toContain('Scan report for bucket.cloudpets.test');
    expect(range.stdout).toContain('Scan report for db.cloudpets.test');
    expect(range.stdout).toMatch(/Scan done: \d+ hosts up, 1 open port/);
  });

  it('prints JSON with --json, and scans as data through scanLabHosts', async () => {
    const run = await lab.run(scanMain, ['db.cloudpets.test', 'api.cloudpets.test', '--json']);
    const hosts = JSON.parse(run.stdout) as { name: string; address: string; open: { port: number; banner?: { service: string; authentication?: string } }[] }[];
    expect(hosts.map((host) => host.name)).toEqual(['db.cloudpets.test', 'api.cloudpets.test']);
    expect(hosts[0]!.open).toEqual([expect.objectContaining({ port: 27017, state: 'open', banner: expect.objectContaining({ product: 'MongoDB', authentication: 'disabled' }) })]);
    expect(hosts[1]!.open[0]).toMatchObject({ port: 8080, banner: { service: 'mongodb', authentication: 'required' } });

    const map = JSON.parse(readFileSync(lab.mapPath, 'utf8'));
    const [db] = await scanLabHosts(map, [{ name: 'db.cloudpets.test', address: '203.0.113.10' }], [27017, 27018]);
    expect(db!.ports.map((port) => port.state)).toEqual(['open', 'closed']);
  });

  it('rejects bad arguments with exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [[], /no target given/],
      [['--bogus', 'db.cloudpets.test'], /unknown option '--bogus'/],
      [['db.cloudpets.test', '-p', 'http'], /cannot read port list 'http'/],
      [['db.cloudpets.test', '-p', '70000'], /must lie within 1-65535/],
      [['db.cloudpets.test', '-p'], /option '-p, --ports' needs a value/],
      [['db.cloudpets.test', '--timeout', 'soon'], /--timeout must be a number/],
    ];
    for (const [argv, message] of cases) {
      const run = await lab.run(scanMain, argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });

  it('exits 1 when no target resolves or there is no lab network', async () => {
    const unknown = await lab.run(scanMain, ['example.com']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/failed to resolve "example\.com": not a host of the lab network/);
    const io = lab.io();
    io.env = { CLOUDPETS_NETWORK: `${lab.dir}/missing.json` };
    expect(await scanMain(['cloudpets.test'], io)).toBe(1);
    expect(io.out().stderr).toMatch(/no lab network map at/);
  });
});
