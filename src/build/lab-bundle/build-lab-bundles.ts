/**
 * Lab bundles: turns each lab (world + tools + checks + starting files) into a static,
 * self-contained tree both runtimes mount, with no node_modules:
 *
 *   dist/labs/<id>/                 the lab folder as the learner gets it
 *     <starting files>, downloads/
 *     .lab/lab.json                 which lab this folder holds (read by lab-session/checks)
 *     .lab/*.mjs                    esbuild bundles: world-process, lab-session, checks, each tool
 *     .lab/*.wav                    the recordings the world serves (read next to the bundle)
 *     .lab/bin/<command>            node scripts with a shebang, so both bash and WebContainer's
 *                                   jsh can run them from PATH
 *     .lab/bashrc                   the lab shell's settings (local runner)
 *     .lab/solution/, solution.sh   the reference answer, for "Show solution"
 *   dist/labs/<id>.tree.json        the same tree as a WebContainer FileSystemTree
 *   dist/labs/<id>.meta.json        what the page's panel needs (title, goal, editable, checks)
 *
 * The bundles are identical for every lab, so they are built once and copied.
 */
import { build } from 'esbuild';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tmpdir } from 'node:os';

export interface LabBundleInfo {
  id: string;
  files: number;
  /** Bytes of the lab folder (what the local runner copies). */
  bytes: number;
  /** Bytes of the FileSystemTree JSON (what WebContainer fetches). */
  treeBytes: number;
}

interface BundleEntry {
  /** Output name in .lab/ without extension. */
  name: string;
  /** Source path from the project root. */
  source: string;
  /** Commands on PATH that run it. */
  commands: string[];
}

/**
 * The mongodb driver requires these optional native or cloud packages lazily, inside
 * try/catch, only when a feature needs them (Kerberos, compression, client-side encryption,
 * AWS/GCP auth). The lab never uses those features; external keeps esbuild from failing on
 * them and test/runtimes/lab-bundle.test.ts runs the bundles where they cannot be found.
 */
export const OPTIONAL_EXTERNALS = [
  'kerberos',
  '@mongodb-js/zstd',
  'snappy',
  'mongodb-client-encryption',
  '@aws-sdk/credential-providers',
  'gcp-metadata',
  'socks',
  'aws4',
  'fsevents',
];

/** A require() that bundled CommonJS dependencies can use inside the ESM bundle. */
const ESM_BANNER = [
  "import { createRequire as __labCreateRequire } from 'node:module';",
  "import { fileURLToPath as __labFileURLToPath } from 'node:url';",
  'const require = __labCreateRequire(import.meta.url);',
  'const __filename = __labFileURLToPath(import.meta.url);',
  "const __dirname = __labFileURLToPath(new URL('.', import.meta.url));",
].join('\n');

async function bundleEntries(projectDir: string): Promise<BundleEntry[]> {
  const entries: BundleEntry[] = [
    // The lab shell is the terminal's process; `world`, `checks` and the tools run inside it.
    { name: 'lab-shell', source: 'sandboxes/lab-shell/main.ts', commands: [] },
    { name: 'lab-control', source: 'sandboxes/lab-session/lab-control.ts', commands: [] },
    { name: 'world-process', source: 'sandboxes/lab-session/world-process.ts', commands: [] },
  ];
  const toolsIndex = join(projectDir, 'sandboxes/tools/index.ts');
  if (existsSync(toolsIndex)) {
    const { LAB_TOOLS } = (await import(pathToFileURL(toolsIndex).href)) as { LAB_TOOLS: { name: string; entry: string }[] };
    for (const tool of LAB_TOOLS) entries.push({ name: `tool-${tool.name}`, source: tool.entry, commands: [tool.name] });
  }
  return entries.filter((entry) => existsSync(join(projectDir, entry.source)));
}

/** Builds the shared runtime part of every lab folder into `outDir/.lab`. */
export async function buildLabRuntime(projectDir: string, outDir: string): Promise<{ entries: BundleEntry[] }> {
  const labDir = join(outDir, '.lab');
  mkdirSync(join(labDir, 'bin'), { recursive: true });
  const entries = await bundleEntries(projectDir);
  const entryPoints: Record<string, string> = Object.fromEntries(entries.map((entry) => [entry.name, join(projectDir, entry.source)]));
  // No network preload: the lab shell runs no learner Node program, and the tools resolve lab
  // names in-process (sandboxes/world/network/resolve.ts).
  await build({
    entryPoints,
    outdir: labDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node18', // WebContainer's Node is 18-20 era
    format: 'esm',
    // Shared code (the database, the mongodb driver) in shared chunks rather than once per
    // program. Chunks sit flat in .lab/ next to the entries: code that finds files next to
    // itself through import.meta.url (the recordings) must see the same folder everywhere.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    minify: true,
    legalComments: 'none',
    sourcemap: false,
    external: OPTIONAL_EXTERNALS,
    banner: { js: ESM_BANNER },
    logLevel: 'silent',
    metafile: false,
    absWorkingDir: projectDir,
  });
  for (const entry of entries) {
    for (const command of entry.commands) {
      const path = join(labDir, 'bin', command);
      // A node script rather than `#!/bin/sh exec node ...`: jsh (WebContainer) runs node
      // scripts from PATH, and bash does too. import() works whether node reads this as
      // CommonJS or as an ES module.
      writeFileSync(path, `#!/usr/bin/env node\nimport(${JSON.stringify(`../${entry.name}.mjs`)});\n`);
      chmodSync(path, 0o755);
    }
  }
  // The world serves the recordings from the folder its bundle sits in (clips.ts: CLIPS_DIR).
  const clips = join(projectDir, 'sandboxes/world/recordings');
  if (existsSync(clips)) {
    for (const name of readdirSync(clips).filter((file) => file.endsWith('.wav'))) cpSync(join(clips, name), join(labDir, name));
  }
  writeFileSync(
    join(labDir, 'bashrc'),
    [
      '# The lab shell (written by the lab bundle build).',
      'export PATH="$CLOUDPETS_LAB_DIR/.lab/bin:$PATH"',
      'export CLOUDPETS_WORLD_ENTRY="$CLOUDPETS_LAB_DIR/.lab/world-process.mjs"',
      'HISTFILE="$CLOUDPETS_LAB_DIR/.lab/history"',
      "alias ls='ls --color=auto'",
      // The learner is "the internet" in the story (198.51.100.23), not root on this machine.
      "PS1='\\[\\e[32m\\]learner@internet\\[\\e[0m\\]:\\[\\e[34m\\]\\w\\[\\e[0m\\]$ '",
      'printf "\\033[1mCloudPets lab: %s\\033[0m\\nTools: scan mongosh curl mongoexport crack world. Type checks to test your work.\\n" "$CLOUDPETS_LAB"',
      // The runtime starts the world in the background as the lab opens; a prompt whose
      // first command fails with "start the world first" is not usable, so wait for it here.
      '__lab_world_state() { sed -n \'s/^  "status": *"\\([a-z]*\\)".*/\\1/p\' "$CLOUDPETS_LAB_DIR/.lab/world.json" 2>/dev/null; }',
      '__lab_wait_for_world() {',
      '  local i=0 state',
      '  while [ $i -lt 300 ]; do',
      '    state=$(__lab_world_state)',
      '    case "$state" in',
      '      ready) [ $i -gt 0 ] && printf "\\r\\033[KLab services are up.\\n"; return 0 ;;',
      '      failed) printf "\\r\\033[KThe lab services did not start: see .lab/world.log, fix the file it names, then run: world restart --lab .\\n"; return 1 ;;',
      '    esac',
      '    [ $i -eq 0 ] && printf "Starting the lab services..."',
      '    sleep 0.1; i=$((i+1))',
      '  done',
      '  printf "\\r\\033[KThe lab services are still starting; check with: world status --lab .\\n"',
      '}',
      '[ -n "$CLOUDPETS_LAB_DIR" ] && [ -f "$CLOUDPETS_LAB_DIR/.lab/lab-session.mjs" ] && __lab_wait_for_world',
      '',
    ].join('\n'),
  );
  return { entries };
}

interface LabDefinitionLike {
  meta: { id: string; title: string; kind: 'attack' | 'fix'; lesson: string; editable: string[]; goal: string; challenge?: { brief: string; hints: string[] } };
  checks: { id: string; title: string; lessonAnchor: string }[];
}

export async function loadLabDefinition(projectDir: string, labId: string): Promise<LabDefinitionLike> {
  const module = (await import(pathToFileURL(join(projectDir, 'sandboxes/labs', labId, 'lab.ts')).href)) as { default: LabDefinitionLike };
  const lab = module.default;
  if (!lab?.meta || lab.meta.id !== labId) throw new Error(`sandboxes/labs/${labId}/lab.ts must export default a lab whose meta.id is "${labId}"`);
  return lab;
}

export function listLabIds(projectDir: string): string[] {
  const root = join(projectDir, 'sandboxes/labs');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'lab.ts')))
    .sort();
}

type TreeNode = { directory: Tree } | { file: { contents: string | { base64: string } } };
type Tree = Record<string, TreeNode>;

/**
 * The WebContainer FileSystemTree of a folder. Binary files (WAVs) cannot be JSON strings,
 * so they are written as {base64} and turned into bytes by the page before mounting
 * (src/runtimes/webcontainer/file-tree.ts).
 */
export function folderToTree(dir: string): Tree {
  const tree: Tree = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) tree[entry.name] = { directory: folderToTree(path) };
    else if (entry.isFile()) {
      const bytes = readFileSync(path);
      const text = bytes.toString('utf8');
      tree[entry.name] = { file: { contents: Buffer.from(text, 'utf8').equals(bytes) && !text.includes('\0') ? text : { base64: bytes.toString('base64') } } };
    }
  }
  return tree;
}

function folderStats(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = folderStats(path);
      files += inner.files;
      bytes += inner.bytes;
    } else if (entry.isFile()) {
      files++;
      bytes += statSync(path).size;
    }
  }
  return { files, bytes };
}

export interface BuildLabBundlesOptions {
  projectDir: string;
  /** The site's dist/; bundles go to dist/labs/. */
  distDir: string;
  labs?: string[];
  log?: (message: string) => void;
}

export async function buildLabBundles(options: BuildLabBundlesOptions): Promise<LabBundleInfo[]> {
  const { projectDir, distDir } = options;
  const log = options.log ?? (() => undefined);
  const labsOut = join(distDir, 'labs');
  const staging = join(tmpdir(), `cloudpets-lab-runtime-${process.pid}-${Date.now()}`);
  const results: LabBundleInfo[] = [];
  try {
    const { entries } = await buildLabRuntime(projectDir, staging);
    log(`bundled ${entries.length} programs: ${entries.map((entry) => entry.name).join(', ')}`);
    mkdirSync(labsOut, { recursive: true });
    for (const labId of options.labs ?? listLabIds(projectDir)) {
      const lab = await loadLabDefinition(projectDir, labId);
      const out = join(labsOut, labId);
      rmSync(out, { recursive: true, force: true });
      const source = join(projectDir, 'sandboxes/labs', labId);
      if (existsSync(join(source, 'starting'))) cpSync(join(source, 'starting'), out, { recursive: true });
      mkdirSync(join(out, 'downloads'), { recursive: true });
      cpSync(join(staging, '.lab'), join(out, '.lab'), { recursive: true });
      const solutionFiles: string[] = [];
      if (existsSync(join(source, 'solution'))) {
        cpSync(join(source, 'solution'), join(out, '.lab', 'solution'), { recursive: true });
        const walk = (dir: string) => {
          for (const entry of readdirSync(dir, { withFileTypes: true })) {
            const path = join(dir, entry.name);
            if (entry.isDirectory()) walk(path);
            else solutionFiles.push(relative(out, path).split('\\').join('/'));
          }
        };
        walk(join(out, '.lab', 'solution'));
      }
      let solutionScript: string | undefined;
      if (existsSync(join(source, 'solution.sh'))) {
        cpSync(join(source, 'solution.sh'), join(out, '.lab', 'solution.sh'));
        solutionScript = '.lab/solution.sh';
      }
      writeFileSync(join(out, '.lab', 'lab.json'), JSON.stringify({ id: labId, title: lab.meta.title, createdAt: new Date().toISOString() }, null, 2) + '\n');
      const meta = {
        id: labId,
        title: lab.meta.title,
        kind: lab.meta.kind,
        lesson: lab.meta.lesson,
        goal: lab.meta.goal,
        ...(lab.meta.challenge ? { challenge: lab.meta.challenge } : {}),
        editable: lab.meta.editable,
        checks: lab.checks.map((check) => ({ id: check.id, title: check.title, lessonAnchor: check.lessonAnchor })),
        solutionFiles,
        solutionScript,
      };
      writeFileSync(join(labsOut, `${labId}.meta.json`), JSON.stringify(meta, null, 2) + '\n');
      const tree = JSON.stringify(folderToTree(out));
      writeFileSync(join(labsOut, `${labId}.tree.json`), tree);
      const stats = folderStats(out);
      results.push({ id: labId, files: stats.files, bytes: stats.bytes, treeBytes: Buffer.byteLength(tree) });
      log(`lab ${labId}: ${stats.files} files, ${(stats.bytes / 1024).toFixed(0)} KiB (tree JSON ${(Buffer.byteLength(tree) / 1024).toFixed(0)} KiB)`);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return results;
}
