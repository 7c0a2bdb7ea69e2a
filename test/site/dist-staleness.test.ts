import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { distStaleness, writeBuildStamp } from '../../src/server/static/dist-staleness';

let project: string;
const buildStart = Date.parse('2026-03-01T12:00:00Z');

async function touch(path: string, at: number): Promise<void> {
  await writeFile(path, 'x');
  await utimes(path, at / 1000, at / 1000);
}

/** A project whose every input is older than the build, and a complete dist/. */
async function builtProject(): Promise<void> {
  await mkdir(join(project, 'src/pages'), { recursive: true });
  await mkdir(join(project, 'lessons'), { recursive: true });
  await mkdir(join(project, 'dist'), { recursive: true });
  await touch(join(project, 'src/pages/index.astro'), buildStart - 60_000);
  await touch(join(project, 'lessons/01.mdx'), buildStart - 60_000);
  await touch(join(project, 'package.json'), buildStart - 60_000);
  for (const dir of ['src/pages', 'src', 'lessons']) await utimes(join(project, dir), (buildStart - 60_000) / 1000, (buildStart - 60_000) / 1000);
  await touch(join(project, 'dist/index.html'), buildStart + 5_000);
  await writeBuildStamp(join(project, 'dist'), { startedAt: buildStart, finishedAt: buildStart + 10_000 });
}

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'staleness-'));
});
afterEach(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('dist staleness', () => {
  it('is stale when dist/ was never built', async () => {
    expect(await distStaleness(project)).toEqual({ stale: true, reason: expect.stringMatching(/no complete build/) });
  });

  it('is fresh when no input changed since the build started', async () => {
    await builtProject();
    expect(await distStaleness(project)).toEqual({ stale: false });
  });

  it('is stale when a lesson was edited after the build started', async () => {
    await builtProject();
    await touch(join(project, 'lessons/01.mdx'), buildStart + 1_000);
    const result = await distStaleness(project);
    expect(result).toEqual({ stale: true, reason: expect.stringContaining('lessons') });
  });

  it('is stale when a source file was added (its folder changed)', async () => {
    await builtProject();
    await writeFile(join(project, 'src/pages/new.astro'), 'x');
    expect((await distStaleness(project)).stale).toBe(true);
  });

  it('is stale when the stamp is missing (a build failed half-way) or garbage', async () => {
    await builtProject();
    await writeFile(join(project, 'dist/.build-stamp.json'), 'not json');
    expect((await distStaleness(project)).stale).toBe(true);
  });

  it('is stale when dist/index.html is gone', async () => {
    await builtProject();
    await rm(join(project, 'dist/index.html'));
    expect(await distStaleness(project)).toEqual({ stale: true, reason: expect.stringMatching(/index\.html is missing/) });
  });

  it('ignores node_modules and dot-folders inside inputs', async () => {
    await builtProject();
    await mkdir(join(project, 'src/.lab'), { recursive: true });
    await mkdir(join(project, 'src/node_modules'), { recursive: true });
    await touch(join(project, 'src/.lab/state.json'), buildStart + 1_000);
    await touch(join(project, 'src/node_modules/x.js'), buildStart + 1_000);
    await utimes(join(project, 'src'), (buildStart - 60_000) / 1000, (buildStart - 60_000) / 1000);
    expect(await distStaleness(project)).toEqual({ stale: false });
  });
});
