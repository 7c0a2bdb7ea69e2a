/**
 * mongod.conf: real keys are honoured; bad YAML, an unknown key or a wrong type stop start-up
 * with an error naming the line or key, and the data directory is not touched.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadMongodConfig, parseMongodConfig, startDatabase } from '../../sandboxes/database/index.ts';
import { scratchDir } from './support/harness.ts';

function configError(text: string): ConfigError {
  try {
    parseMongodConfig(text, '/lab');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('mongod.conf', () => {
  it('reads the real keys and resolves relative paths against the file\'s folder', () => {
    const { dir, cleanup } = scratchDir();
    try {
      const path = join(dir, 'mongod.conf');
      writeFileSync(path, [
        '# CloudPets production database',
        'net:',
        '  port: 27017',
        '  bindIp: 127.0.0.1, 203.0.113.10',
        'security:',
        '  authorization: enabled',
        '  javascriptEnabled: false',
        'storage:',
        '  dbPath: data/db',
        'systemLog:',
        '  destination: file',
        '  path: log/mongod.log',
        '  logAppend: true',
      ].join('\n'));
      const config = loadMongodConfig(path);
      expect(config.net).toEqual({ port: 27017, bindIp: ['127.0.0.1', '203.0.113.10'], bindIpAll: false });
      expect(config.security).toEqual({ authorization: 'enabled', javascriptEnabled: false });
      expect(config.storage.dbPath).toBe(join(dir, 'data/db'));
      expect(config.systemLog).toMatchObject({ destination: 'file', path: join(dir, 'log/mongod.log'), logAppend: true });
      expect(config.parsed).toMatchObject({ net: { port: 27017 }, security: { authorization: 'enabled' } });
    } finally {
      cleanup();
    }
  });

  it('accepts bindIpAll and an empty file (defaults)', () => {
    expect(parseMongodConfig('net:\n  bindIpAll: true\n', '/lab').net.bindIpAll).toBe(true);
    expect(parseMongodConfig('', '/lab').net).toEqual({ port: 27017, bindIp: ['127.0.0.1'], bindIpAll: false });
  });

  it('names the line of bad YAML', () => {
    const error = configError('net:\n  port: 27017\n bindIp: [oops\nsecurity:\n  authorization: enabled\n');
    expect(error.message).toMatch(/^Error parsing YAML config file: error at line \d/);
    expect(error.line).toBeGreaterThanOrEqual(3);
  });

  it('names an unknown key with its line', () => {
    const error = configError('net:\n  port: 27017\n  bindIP: 0.0.0.0\n');
    expect(error.message).toBe('Unrecognized option: net.bindIP (line 3)');
    expect(error.key).toBe('net.bindIP');
    expect(configError('secruity:\n  authorization: enabled\n').message).toBe('Unrecognized option: secruity (line 1)');
  });

  it('names a key with the wrong type or value', () => {
    expect(configError('net:\n  port: "twenty"\n').message).toBe('Error parsing option "net.port" as int in: "twenty" (line 2)');
    expect(configError('net:\n  bindIpAll: yes please\n').key).toBe('net.bindIpAll');
    const auth = configError('security:\n  authorization: on\n');
    expect(auth.key).toBe('security.authorization');
    expect(auth.message).toContain('"enabled", "disabled"');
    expect(configError('net:\n  port: 70000\n').key).toBe('net.port');
    expect(configError('systemLog:\n  destination: file\n').key).toBe('systemLog.path');
  });

  it('stops start-up before touching the data directory', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const dataDir = join(dir, 'data');
      mkdirSync(dataDir);
      writeFileSync(join(dataDir, 'lab-journal.bson'), Buffer.from('precious bytes'));
      const path = join(dir, 'mongod.conf');
      writeFileSync(path, 'storage:\n  dbPath: ./data\nnet:\n  prot: 27017\n');
      await expect(startDatabase({ configPath: path, portOverride: 0 })).rejects.toThrow('Unrecognized option: net.prot (line 4)');
      expect(readdirSync(dataDir)).toEqual(['lab-journal.bson']);
      expect(readFileSync(join(dataDir, 'lab-journal.bson'), 'utf8')).toBe('precious bytes');
    } finally {
      cleanup();
    }
  });
});
