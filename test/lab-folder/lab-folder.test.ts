import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labFolderFromBundle } from '../../sandboxes/lab-folder/from-bundle.ts';
import { readWorldServices } from '../../sandboxes/lab-folder/world-services.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('a lab folder from a built bundle', () => {
  it('copies the bundle and adds the learner seed to lab.json, keeping what the bundle wrote', async () => {
    const bundle = mkdtempSync(join(tmpdir(), 'cloudpets-bundle-'));
    const work = mkdtempSync(join(tmpdir(), 'cloudpets-folder-'));
    dirs.push(bundle, work);
    mkdirSync(join(bundle, '.lab'));
    writeFileSync(join(bundle, '.lab', 'lab.json'), JSON.stringify({ id: 'recon', title: 'Recon', createdAt: 'x' }));
    writeFileSync(join(bundle, 'mongod.conf'), 'net: {}\n');
    const dir = await labFolderFromBundle(bundle, join(work, 'recon'), { seed: 424242 });
    expect(JSON.parse(readFileSync(join(dir, '.lab', 'lab.json'), 'utf8'))).toEqual({ id: 'recon', title: 'Recon', createdAt: 'x', seed: 424242 });
    expect(readFileSync(join(dir, 'mongod.conf'), 'utf8')).toBe('net: {}\n');
    await expect(labFolderFromBundle(bundle, join(work, 'again'), { seed: -1 })).rejects.toThrow(/non-negative integer/);
  });
});

describe('the world services in world.json', () => {
  it('reads the typed fields and drops what has the wrong type', () => {
    const services = readWorldServices({
      services: { addresses: { 'db.cloudpets.test': '203.0.113.10', bad: 5 }, warnings: ['w'], seeded: 'yes', db: { uri: 'mongodb://127.0.0.1:1', listeners: [{ address: '203.0.113.10', host: '127.0.0.1', port: 1 }, { port: 'x' }] }, api: { loadError: 7 } },
    });
    expect(services).toEqual({
      addresses: { 'db.cloudpets.test': '203.0.113.10' },
      warnings: ['w'],
      db: { uri: 'mongodb://127.0.0.1:1', logPath: undefined, listeners: [{ address: '203.0.113.10', host: '127.0.0.1', port: 1 }] },
      api: { url: undefined, loadError: undefined },
    });
    expect(readWorldServices({ services: undefined })).toBeUndefined();
    expect(readWorldServices(undefined)).toBeUndefined();
  });
});
