import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, securityHeaders, themeScriptHash } from '../../src/server/security-headers';
import { renderHeadersFile, renderVercelJson, vercelConfig } from '../../src/server/static/deploy-header-files';
import { themeInitScript } from '../../src/theme/theme-init';

const projectDir = resolve(import.meta.dirname, '../..');

/** Parse a CSP into directive -> sources, so tests read it the way a browser does. */
function parseCsp(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('security headers', () => {
  it('make every page cross-origin isolated', () => {
    for (const mode of ['production', 'dev'] as const) {
      const headers = securityHeaders(mode);
      expect(headers['Cross-Origin-Opener-Policy']).toBe('same-origin');
      expect(headers['Cross-Origin-Embedder-Policy']).toBe('require-corp');
    }
  });

  it('allow only our own scripts plus the exact theme script, never inline or eval in production', () => {
    const csp = parseCsp(contentSecurityPolicy('production'));
    const scripts = csp.get('script-src') ?? [];
    expect(scripts).toContain("'self'");
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    const expected = `'sha256-${createHash('sha256').update(themeInitScript).digest('base64')}'`;
    expect(scripts).toContain(expected);
    expect(themeScriptHash()).toBe(expected);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
  });

  it('let the WebContainer runtime and the local runner socket through, and nothing else third-party', () => {
    const csp = parseCsp(contentSecurityPolicy('production'));
    expect(csp.get('frame-src')).toEqual(expect.arrayContaining(['https://stackblitz.com', 'https://*.stackblitz.com', 'https://*.staticblitz.com', 'https://*.webcontainer-api.io']));
    expect(csp.get('connect-src')).toEqual(expect.arrayContaining(['https://*.staticblitz.com']));
    expect(csp.get('connect-src')).toEqual(expect.arrayContaining(['ws://127.0.0.1:*', 'ws://localhost:*', 'https://*.webcontainer-api.io']));
    const remoteOrigins = [...csp.values()].flat().filter((source) => /^(https?|wss?):/.test(source));
    for (const origin of remoteOrigins) {
      expect(origin).toMatch(/^(https:\/\/(\*\.)?stackblitz\.com|https:\/\/\*\.staticblitz\.com|https:\/\/\*\.webcontainer-api\.io|wss:\/\/\*\.webcontainer-api\.io|ws:\/\/(127\.0\.0\.1|localhost):\*)$/);
    }
  });
});

describe('deploy header files', () => {
  it('_headers applies every header to every path', () => {
    const lines = renderHeadersFile().split('\n');
    const everyPath = lines.slice(lines.indexOf('/*') + 1, lines.indexOf('/labs/runtime-*'));
    expect(lines).toContain('/*');
    expect(everyPath).toHaveLength(Object.keys(securityHeaders()).length);
    for (const [name, value] of Object.entries(securityHeaders())) expect(everyPath).toContain(`  ${name}: ${value}`);
    // The labs' content-hashed runtime tree is cached for good.
    expect(lines.slice(lines.indexOf('/labs/runtime-*') + 1).filter(Boolean)).toEqual(['  Cache-Control: public, max-age=31536000, immutable']);
  });

  it('vercel.json for the output dir carries the headers only', () => {
    const config = JSON.parse(renderVercelJson('output-dir'));
    expect(config.buildCommand).toBeUndefined();
    expect(config.headers[0].source).toBe('/(.*)');
    expect(Object.fromEntries(config.headers[0].headers.map((h: { key: string; value: string }) => [h.key, h.value]))).toEqual(securityHeaders());
  });

  it('the committed root vercel.json equals what the header module renders (run the snippet in the message to refresh it)', async () => {
    const committed = await readFile(join(projectDir, 'vercel.json'), 'utf8');
    expect(
      JSON.parse(committed),
      'vercel.json is out of date: npx tsx -e "import {renderVercelJson} from \'./src/server/static/deploy-header-files.ts\'; process.stdout.write(renderVercelJson(\'project-root\'))" > vercel.json',
    ).toEqual(vercelConfig('project-root'));
    expect(vercelConfig('project-root').buildCommand).toBe('npm run build');
  });
});
