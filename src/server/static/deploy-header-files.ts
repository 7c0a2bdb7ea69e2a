import { securityHeaders } from '../security-headers';

/**
 * Static hosts cannot run our Node server, so the build writes their own header files from
 * the same header set (src/server/security-headers.ts).
 */

/**
 * `_headers` in the publish directory: read by Netlify and by Cloudflare Pages (same format:
 * a path pattern, then indented `Name: value` lines).
 */
export function renderHeadersFile(): string {
  const lines = ['# Written by `npm run build` from src/server/security-headers.ts. Do not edit.', '/*'];
  for (const [name, value] of Object.entries(securityHeaders('production'))) lines.push(`  ${name}: ${value}`);
  // The labs' shared runtime tree is content-hashed (src/build/lab-bundle): cache it for good.
  lines.push('/labs/runtime-*', `  Cache-Control: ${IMMUTABLE}`);
  return `${lines.join('\n')}\n`;
}

/** For content-hashed files: the name changes whenever the content does. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface VercelConfig {
  $schema: string;
  buildCommand?: string;
  outputDirectory?: string;
  headers: { source: string; headers: { key: string; value: string }[] }[];
}

/**
 * Vercel reads `vercel.json` from the project root, not from the output directory. The root
 * copy is committed (and a test keeps it equal to this function's output); it also sets the
 * build command, because Vercel's Astro preset would otherwise run plain `astro build` and
 * skip the search index. The build also writes a headers-only copy into dist/ for
 * `vercel deploy dist`, where dist/ itself is uploaded as the project root and nothing is built.
 */
export function vercelConfig(place: 'project-root' | 'output-dir'): VercelConfig {
  const build = place === 'project-root' ? { buildCommand: 'npm run build', outputDirectory: 'dist' } : {};
  return {
    $schema: 'https://openapi.vercel.sh/vercel.json',
    ...build,
    headers: [
      {
        source: '/(.*)',
        headers: Object.entries(securityHeaders('production')).map(([key, value]) => ({ key, value })),
      },
      { source: '/labs/runtime-(.*)', headers: [{ key: 'Cache-Control', value: IMMUTABLE }] },
    ],
  };
}

export function renderVercelJson(place: 'project-root' | 'output-dir'): string {
  return `${JSON.stringify(vercelConfig(place), null, 2)}\n`;
}
