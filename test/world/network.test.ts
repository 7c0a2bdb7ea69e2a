import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BindIpError, SimulatedDatabaseNetwork } from '../../sandboxes/world/network/database-network.ts';
import { NetworkMapError, readNetworkMap, writeNetworkMap, type NetworkMap } from '../../sandboxes/world/network/network-map.ts';
import { openPorts, resolve } from '../../sandboxes/world/network/resolve.ts';
import { tempLab } from './helpers.ts';

const map: NetworkMap = {
  hosts: {
    'db.cloudpets.test': { address: '203.0.113.10', ports: { '27017': { host: '127.0.0.1', port: 41871 } } },
    'bucket.cloudpets.test': { address: '203.0.113.20', ports: { '80': { host: '127.0.0.1', port: 41900 } } },
  },
  appLocal: { '27017': { host: '127.0.0.1', port: 41872 } },
};

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return `${(error as { code?: string }).code} ${(error as Error).message}`;
  }
  return undefined;
}

describe('resolve', () => {
  it('maps names and simulated addresses to the real loopback listener', () => {
    expect(resolve('db.cloudpets.test', 27017, { map })).toMatchObject({ host: '127.0.0.1', port: 41871, address: '203.0.113.10', simulatedPort: 27017 });
    expect(resolve('203.0.113.10', '27017', { map }).port).toBe(41871);
    expect(resolve('DB.CloudPets.Test.', 27017, { map }).port).toBe(41871);
  });

  it('closed ports refuse, unknown names do not resolve', () => {
    expect(code(() => resolve('db.cloudpets.test', 22, { map }))).toBe('ECONNREFUSED connect ECONNREFUSED 203.0.113.10:22');
    expect(code(() => resolve('api.cloudpets.test', 80, { map }))).toBe('ECONNREFUSED connect ECONNREFUSED 203.0.113.30:80');
    expect(code(() => resolve('shop.cloudpets.test', 80, { map }))).toBe('ENOTFOUND getaddrinfo ENOTFOUND shop.cloudpets.test');
  });

  it("localhost is the app's database listener for the app, and nothing for the learner", () => {
    expect(resolve('localhost', 27017, { map, from: 'app' }).port).toBe(41872);
    expect(code(() => resolve('localhost', 27017, { map }))).toBe('ECONNREFUSED connect ECONNREFUSED 127.0.0.1:27017');
    expect(code(() => resolve('127.0.0.1', 80, { map, from: 'app' }))).toMatch(/^ECONNREFUSED/);
  });

  it('openPorts lists what a scanner may find', () => {
    expect(openPorts(map).map((p) => `${p.name}:${p.simulatedPort}`)).toEqual(['db.cloudpets.test:27017', 'bucket.cloudpets.test:80']);
  });

  it('network.json round-trips and a damaged one gets a clear error', () => {
    const lab = tempLab();
    const path = join(lab.dir, '.lab', 'network.json');
    writeNetworkMap(path, map);
    expect(readNetworkMap(path)).toEqual(map);
    writeFileSync(path, '{"hosts": {"db.cloudpets.test": {"address": "203.0.113.10", "ports": {"27017": {"host": "127.0.0.1"}}}}}');
    expect(() => readNetworkMap(path)).toThrow(/ports\["27017"\] must be/);
    writeFileSync(path, '{');
    expect(() => readNetworkMap(path)).toThrow(NetworkMapError);
    expect(() => readNetworkMap(join(lab.dir, 'nothing.json'))).toThrow(/start the world first/);
    lab.cleanup();
  });
});

describe('the database network', () => {
  it('bindIp 0.0.0.0 serves the public address and loopback; 127.0.0.1 only loopback', () => {
    const net = new SimulatedDatabaseNetwork();
    expect(net.interfaces(['0.0.0.0'], false).sort()).toEqual(['127.0.0.1', '203.0.113.10']);
    expect(net.interfaces(['127.0.0.1'], false)).toEqual(['127.0.0.1']);
    expect(net.interfaces(['localhost', 'db.cloudpets.test'], false).sort()).toEqual(['127.0.0.1', '203.0.113.10']);
    expect(net.interfaces([], true).sort()).toEqual(['127.0.0.1', '203.0.113.10']);
    expect(() => net.interfaces(['10.0.0.5'], false)).toThrow(BindIpError);
    expect(() => net.interfaces(['10.0.0.5'], false)).toThrow(/no such interface/);
  });

  it('peers on the public interface are the learner and a stranger, on loopback the app; listeners are published under the configured port', () => {
    const net = new SimulatedDatabaseNetwork();
    expect(net.listen('203.0.113.10', 27018)).toEqual([
      { host: '127.0.0.1', port: 0, peerAddress: '198.51.100.23' },
      { host: '127.0.0.1', port: 0, peerAddress: '192.0.2.146' },
    ]);
    expect(net.listen('127.0.0.1', 27018)).toEqual([{ host: '127.0.0.1', port: 0, peerAddress: '127.0.0.1' }]);
    const published: NetworkMap = { hosts: {}, appLocal: {} };
    net.publish(published, [
      { address: '203.0.113.10', host: '127.0.0.1', port: 50001, peerAddress: '198.51.100.23' },
      { address: '203.0.113.10', host: '127.0.0.1', port: 50003, peerAddress: '192.0.2.146' },
      { address: '127.0.0.1', host: '127.0.0.1', port: 50002, peerAddress: '127.0.0.1' },
    ]);
    expect(published.hosts['db.cloudpets.test']!.ports['27018']).toEqual({ host: '127.0.0.1', port: 50001 });
    expect(published.stranger?.['27018']).toEqual({ host: '127.0.0.1', port: 50003 });
    expect(published.appLocal['27018']).toEqual({ host: '127.0.0.1', port: 50002 });
  });
});

describe('the preload for the learner’s own Node code', () => {
  let server: http.Server;
  let lab: ReturnType<typeof tempLab>;
  beforeAll(async () => {
    lab = tempLab();
    server = http.createServer((req, res) => res.end(`hello from ${req.headers.host}`));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    writeNetworkMap(join(lab.dir, '.lab', 'network.json'), {
      hosts: { 'bucket.cloudpets.test': { address: '203.0.113.20', ports: { '80': { host: '127.0.0.1', port } } } },
      appLocal: {},
    });
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    lab.cleanup();
  });

  it('http, fetch and dns see the simulated names; closed and unknown ones fail like real ones', async () => {
    const script = `
      import http from 'node:http';
      import dns from 'node:dns/promises';
      const out = [];
      out.push('dns ' + (await dns.lookup('bucket.cloudpets.test')).address);
      out.push('fetch ' + await (await fetch('http://bucket.cloudpets.test/x')).text());
      out.push('fetch-ip ' + await (await fetch('http://203.0.113.20/x')).text());
      await new Promise((r) => http.get('http://bucket.cloudpets.test/', (res) => { res.resume(); out.push('http ' + res.statusCode); res.on('end', r); }));
      for (const url of ['http://db.cloudpets.test:27017/', 'http://nowhere.test/']) {
        await new Promise((r) => http.get(url).on('error', (e) => { out.push(e.code + ' ' + e.message); r(); }));
      }
      console.log(JSON.stringify(out));
    `;
    const preload = join(process.cwd(), 'sandboxes/world/network/preload.js');
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: lab.dir,
      // From the sources the preload imports .ts modules: tsx loads them on every Node the project supports.
      env: { ...process.env, NODE_OPTIONS: `--import ${import.meta.resolve('tsx')} --import ${preload}`, CLOUDPETS_NETWORK: '' },
    });
    expect(JSON.parse(stdout)).toEqual([
      'dns 203.0.113.20',
      'fetch hello from bucket.cloudpets.test',
      'fetch-ip hello from 203.0.113.20',
      'http 200',
      'ECONNREFUSED connect ECONNREFUSED 203.0.113.10:27017',
      'ENOTFOUND getaddrinfo ENOTFOUND nowhere.test',
    ]);
  });
});
