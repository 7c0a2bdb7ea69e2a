/**
 * Lab bundles: turns each lab (lab shell + world + tools + checks + starting files) into a
 * static, self-contained tree both runtimes mount, with no node_modules:
 *
 *   dist/labs/<id>/                 the lab folder as the learner gets it (the local runner copies it)
 *     <starting files>, downloads/  the shared 2016 tree plus the lab's own differences
 *     .lab/lab.json                 which lab this folder holds
 *     .lab/*.mjs                    esbuild bundles: lab-shell, lab-control, world-process, each
 *                                   tool, shared chunks (`node .lab/lab-shell.mjs`: no shebang,
 *                                   no PATH lookup, docs/lab-runtime-contract.md)
 *     .lab/*.wav                    the recordings the world serves (read next to the bundle)
 *     .lab/solution/, solution.sh   the reference answer, for "Show solution"
 *   dist/labs/runtime-<hash>.tree.json  the shared runtime (the .lab/ files every lab has) as a
 *                                   WebContainer FileSystemTree; content-hashed, so browsers
 *                                   cache it as immutable and download it once for all labs
 *   dist/labs/<id>.tree.json        { runtime, tree }: the name of the runtime tree and the
 *                                   lab's own small tree (starting files, lab.json, solution)
 *   dist/labs/<id>.meta.json        what the page's panel needs (title, goal, editable, checks)
 *
 * The bundles are identical for every lab, so they are built once.
 */
import { createHash } from 'node:crypto';
import { build } from 'esbuild';
import { copyStartingFiles } from '../../../sandboxes/lab-folder/starting-files.ts';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tmpdir } from 'node:os';

export interface LabBundleInfo {
  id: string;
  files: number;
  /** Bytes of the lab folder (what the local runner copies). */
  bytes: number;
  /** Bytes of the lab's own tree JSON (what WebContainer fetches for this lab besides the shared runtime). */
  treeBytes: number;
  /** The shared runtime tree's file name in dist/labs/. */
  runtime: string;
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
  mkdirSync(labDir, { recursive: true });
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
  // The world serves the recordings from the folder its bundle sits in (clips.ts: CLIPS_DIR).
  const clips = join(projectDir, 'sandboxes/world/recordings');
  if (existsSync(clips)) {
    for (const name of readdirSync(clips).filter((file) => file.endsWith('.wav'))) cpSync(join(clips, name), join(labDir, name));
  }
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
 * (decodeTree in src/runtimes/webcontainer/webcontainer-runtime.ts).
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

/** The learner-visible files of a fresh lab folder (not .lab/), lab-relative, for the panel's file list. */
function startingFileList(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .filter((entry) => !(prefix === '' && entry.name === '.lab'))
    .flatMap((entry) => {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? startingFileList(dir, path) : entry.isFile() ? [path] : [];
    })
    .sort();
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

/**
 * The shared runtime (every lab's identical .lab/ files) as one FileSystemTree, named by a hash
 * of its content so a browser may cache it for good (src/server/static serves it immutable).
 * Earlier runtime trees in the folder are removed.
 */
function writeRuntimeTree(staging: string, labsOut: string): { name: string; tree: Tree; bytes: number } {
  const tree: Tree = { '.lab': { directory: folderToTree(join(staging, '.lab')) } };
  const json = JSON.stringify(tree);
  const name = `runtime-${createHash('sha256').update(json).digest('hex').slice(0, 16)}.tree.json`;
  for (const old of readdirSync(labsOut).filter((file) => /^runtime-[a-f0-9]+\.tree\.json$/.test(file) && file !== name)) rmSync(join(labsOut, old));
  writeFileSync(join(labsOut, name), json);
  return { name, tree, bytes: Buffer.byteLength(json) };
}

/** A lab's tree without the files the shared runtime tree already holds (same path, same contents). */
function withoutShared(tree: Tree, shared: Tree): Tree {
  const out: Tree = {};
  for (const [name, node] of Object.entries(tree)) {
    const base = shared[name];
    if ('directory' in node) {
      const inner = base && 'directory' in base ? withoutShared(node.directory, base.directory) : node.directory;
      // Keep empty folders the lab itself has (downloads/), drop those only the runtime fills.
      if (Object.keys(inner).length > 0 || !(base && 'directory' in base)) out[name] = { directory: inner };
    } else if (!(base && 'file' in base && JSON.stringify(base.file.contents) === JSON.stringify(node.file.contents))) {
      out[name] = node;
    }
  }
  return out;
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
    const runtime = writeRuntimeTree(staging, labsOut);
    log(`shared runtime tree ${runtime.name}: ${(runtime.bytes / 1024).toFixed(0)} KiB`);
    for (const labId of options.labs ?? listLabIds(projectDir)) {
      const lab = await loadLabDefinition(projectDir, labId);
      const out = join(labsOut, labId);
      rmSync(out, { recursive: true, force: true });
      const source = join(projectDir, 'sandboxes/labs', labId);
      copyStartingFiles(labId, out);
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
        files: startingFileList(out),
      };
      writeFileSync(join(labsOut, `${labId}.meta.json`), JSON.stringify(meta, null, 2) + '\n');
      const tree = JSON.stringify({ runtime: runtime.name, tree: withoutShared(folderToTree(out), runtime.tree) });
      writeFileSync(join(labsOut, `${labId}.tree.json`), tree);
      const stats = folderStats(out);
      results.push({ id: labId, files: stats.files, bytes: stats.bytes, treeBytes: Buffer.byteLength(tree), runtime: runtime.name });
      log(`lab ${labId}: ${stats.files} files, ${(stats.bytes / 1024).toFixed(0)} KiB (tree JSON ${(Buffer.byteLength(tree) / 1024).toFixed(0)} KiB)`);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return results;
}
