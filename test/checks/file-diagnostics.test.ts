import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeProblem, diagnoseFiles, diagnoseText } from '../../sandboxes/checks/file-diagnostics.ts';

describe('file diagnostics quote the broken line', () => {
  it('bad YAML in mongod.conf names the line', () => {
    const problem = diagnoseText('mongod.conf', 'net:\n  port: 27017\n  bindIp: [127.0.0.1\nsecurity:\n  authorization: enabled\n');
    expect(problem).toBeDefined();
    expect(problem!.line).toBeGreaterThanOrEqual(3);
    expect(describeProblem(problem!)).toMatch(/^mongod\.conf line \d+.*not valid YAML/);
  });

  it('a tab-indented YAML key is reported, not silently accepted', () => {
    const problem = diagnoseText('mongod.conf', 'security:\n\tauthorization: enabled\n');
    expect(problem?.message).toMatch(/not valid YAML/);
    expect(problem?.line).toBe(2);
  });

  it('invalid JSON policy names line and column', () => {
    const problem = diagnoseText('bucket/policy.json', '{\n  "Version": "2012-10-17",\n  "Statement": [],\n}\n');
    expect(problem?.line).toBe(4);
    expect(describeProblem(problem!)).toMatch(/bucket\/policy\.json line 4.*not valid JSON/);
  });

  it('JavaScript that does not parse names the line', () => {
    const problem = diagnoseText('api/app.js', "module.exports = {\n  checkPassword(password) {\n    return password.length < 8 ? 'too short' : null;;\n  },,\n};\n");
    expect(problem?.line).toBe(4);
    expect(problem?.message).toMatch(/does not parse/);
  });

  it('valid files have no problems, a deleted file is one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'diag-'));
    mkdirSync(join(dir, 'bucket'));
    writeFileSync(join(dir, 'mongod.conf'), 'net:\n  port: 27017\n');
    writeFileSync(join(dir, 'bucket', 'policy.json'), '{"Statement": []}');
    const problems = diagnoseFiles(dir, ['mongod.conf', 'bucket/policy.json', 'api/app.js']);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.file).toBe('api/app.js');
    expect(problems[0]!.message).toMatch(/missing/);
  });
});
