/**
 * The lab shell's language and everyday commands, in-process on a scratch lab folder: what the
 * lessons and solutions type behaves as in bash.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Shell } from '../../sandboxes/lab-shell/run/shell.ts';
import { EVERYDAY_COMMANDS, helpCommand } from '../../sandboxes/lab-shell/commands/index.ts';
import { typeLine } from '../../sandboxes/lab-shell/lab-shell.ts';
import { IncompleteInput, needsMoreInput, parseCommandLine } from '../../sandboxes/lab-shell/syntax/parse.ts';
import { Collector } from '../../sandboxes/lab-shell/run/streams.ts';

const root = mkdtempSync(join(tmpdir(), 'lab-shell-language-'));
const lab = join(root, 'lab');
mkdirSync(lab);
afterAll(() => rmSync(root, { recursive: true, force: true }));

function newShell(): Shell {
  const shell = new Shell(lab, { TERM: 'dumb' });
  for (const command of EVERYDAY_COMMANDS) shell.register(command);
  shell.register(helpCommand(() => []));
  return shell;
}

async function run(line: string, shell = newShell()): Promise<{ out: string; err: string; status: number }> {
  const out = new Collector();
  const err = new Collector();
  const { status } = await typeLine(shell, line, { stdout: out, stderr: err });
  return { out: out.text(), err: err.text(), status };
}

writeFileSync(join(lab, 'log.txt'), ['{"remote":"127.0.0.1:5000","msg":"Connection accepted"}', '{"remote":"192.0.2.146:6000","msg":"Connection accepted"}', '{"remote":"192.0.2.146:6000","msg":"Slow query","ns":"cloudpets.users"}', '{"remote":"192.0.2.146:6000","msg":"Slow query","ns":"cloudpets.pets"}', ''].join('\n'));

describe('the language', () => {
  it('pipes, redirections, && || ; and exit statuses', async () => {
    expect((await run('echo hello | tr a-z A-Z')).out).toBe('HELLO\n');
    expect((await run('echo one > a.txt; echo two >> a.txt; cat < a.txt')).out).toBe('one\ntwo\n');
    expect((await run('false && echo no || echo yes')).out).toBe('yes\n');
    expect((await run('false; echo $?')).out).toBe('1\n');
    expect((await run('! false && echo negated')).out).toBe('negated\n');
    expect((await run('cat missing.txt 2>&1 | head -n 1')).out).toBe('cat: missing.txt: No such file or directory\n');
    expect((await run('cat missing.txt 2>/dev/null; echo $?')).out).toBe('1\n');
  });

  it('quotes, variables, export, $(...), backticks, $((...)) and ~', async () => {
    const shell = newShell();
    expect((await run(`x='a  b'; echo "$x" $x '$x' "\\$x"`, shell)).out).toBe('a  b a b $x $x\n');
    expect((await run('echo "${missing:-fallback}" ${#x}', shell)).out).toBe('fallback 4\n');
    expect((await run('n=$(echo 41); echo $((n + 1)) `echo tick`', shell)).out).toBe('42 tick\n');
    await run('export TOKEN=abc', shell);
    expect(shell.env().TOKEN).toBe('abc');
    expect(shell.env().x).toBeUndefined();
    expect((await run('echo ~', shell)).out).toBe(`${lab}\n`);
    expect((await run('y=$(false)', shell)).status).toBe(1);
  });

  it('globs, if, for and while', async () => {
    writeFileSync(join(lab, 'g1.jsonl'), '');
    writeFileSync(join(lab, 'g2.jsonl'), '');
    expect((await run('echo g*.jsonl "g*.jsonl" nomatch*')).out).toBe('g1.jsonl g2.jsonl g*.jsonl nomatch*\n');
    expect((await run('if [ -f g1.jsonl ]; then echo file; elif true; then echo no; else echo no; fi')).out).toBe('file\n');
    expect((await run('for f in g*.jsonl; do echo "<$f>"; done | paste -sd, -')).out).toBe('<g1.jsonl>,<g2.jsonl>\n');
    expect((await run('i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i')).out).toBe('3\n');
    expect((await run('printf "a\\nb\\n" > lines.txt; while read l; do echo "[$l]"; done < lines.txt')).out).toBe('[a]\n[b]\n');
  });

  it('asks for more on an incomplete line and names a syntax error', async () => {
    for (const partial of ["echo 'open", 'if true; then echo x', 'echo a |', 'for x in 1 2; do', 'echo $(date']) {
      expect(() => parseCommandLine(partial), partial).toThrow(IncompleteInput);
      expect(needsMoreInput(partial), partial).toBe(true);
    }
    // A finished line, or one with a syntax error, runs (and reports the error) at once.
    expect(needsMoreInput("echo 'open\nclosed'")).toBe(false);
    expect(needsMoreInput('echo a ;; echo b')).toBe(false);
    const bad = await run('echo a ;; echo b');
    expect(bad.status).toBe(2);
    expect(bad.err).toMatch(/^lab-shell: syntax error near unexpected token/);
  });

  it('an unknown command says so and points to help; help lists every command with one line', async () => {
    const unknown = await run('nmap db.cloudpets.test');
    expect(unknown.status).toBe(127);
    expect(unknown.err).toBe("nmap: command not found (type help to see the lab's commands)\n");
    const help = (await run('help')).out;
    for (const name of 'cat ls cd pwd echo printf grep head tail wc sort uniq cut tr sed tee paste mkdir rm cp mv touch clear'.split(' ')) {
      expect(help).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    }
  });

  it('refuses every path outside the lab folder', async () => {
    for (const line of ['cat /etc/passwd', 'cat ../x', 'echo x > /tmp/escape.txt', 'cd ..', 'ls /', 'cp log.txt ../copy.txt']) {
      const result = await run(line);
      expect(result.status, line).not.toBe(0);
      expect(result.err, line).toMatch(/outside the lab folder/);
    }
  });

  it('a running loop stops on Ctrl+C', async () => {
    let interrupt!: () => void;
    const interrupted = new Promise<void>((done) => (interrupt = done));
    const shell = newShell();
    const running = typeLine(shell, 'while true; do echo tick > /dev/null; done', { stdout: new Collector(), stderr: new Collector() }, interrupted);
    setTimeout(interrupt, 100);
    expect(await running).toMatchObject({ status: 130, interrupted: true });
  });
});

describe('the everyday commands, as the lessons and solutions use them', () => {
  it('grep: -v -e -E -o -c -i -n and basic expressions', async () => {
    expect((await run(`grep '"Connection accepted"' log.txt | grep -v -e '"remote":"127\\.0\\.0\\.1:' -e '"remote":"198\\.51\\.100\\.23:'`)).out).toBe('{"remote":"192.0.2.146:6000","msg":"Connection accepted"}\n');
    expect((await run(`grep -o '"remote":"[0-9.]*' log.txt | head -n 1 | cut -d '"' -f 4`)).out).toBe('127.0.0.1\n');
    expect((await run(`grep -E '"ns":"cloudpets\\.(users|pets)"' log.txt | grep -c Slow`)).out).toBe('2\n');
    expect((await run('grep -in SLOW log.txt | cut -d: -f1 | paste -sd" " -')).out).toBe('3 4\n');
    expect((await run('grep nothing log.txt')).status).toBe(1);
  });

  it("sed: -n 's/…/…/p' with groups, other delimiters, and escaped metacharacters", async () => {
    writeFileSync(join(lab, 'scan.txt'), '27017/tcp open  mongodb MongoDB 7.0.14\n|   version: 7.0.14\n|_  totalSize: 1 KB\n');
    expect((await run(`sed -n 's/^|[_ ]  *version: *//p' scan.txt`)).out).toBe('7.0.14\n');
    expect((await run(`sed -n 's#^\\([0-9][0-9]*\\)/tcp  *open  *mongodb.*#\\1#p' scan.txt`)).out).toBe('27017\n');
    writeFileSync(join(lab, 't.txt'), '{"t":{"$date":"2026-01-01T00:00:00Z"},"x":1}\n');
    expect((await run(`sed -n 's/.*"t":{"\\$date":"\\([^"]*\\)"}.*/\\1/p' t.txt`)).out).toBe('2026-01-01T00:00:00Z\n');
    expect((await run(`echo aaa | sed 's/a/b/g'; echo aaa | sed -E 's/(a+)/[\\1]/'`)).out).toBe('bbb\n[aaa]\n');
    expect((await run(`printf '1\\n2\\n3\\n' | sed -n '2p'; printf '1\\n2\\n' | sed '1d'`)).out).toBe('2\n2\n');
  });

  it('printf, sort, uniq, wc, head, tail, tee, cut, tr', async () => {
    expect((await run(`printf 'host: %s\\nport: %s\\n' db 27017`)).out).toBe('host: db\nport: 27017\n');
    expect((await run(`printf '%s\\n' b a b | sort -u | paste -sd, -`)).out).toBe('a,b\n');
    expect((await run(`printf 'x\\nx\\ny\\n' | uniq -c`)).out).toBe('      2 x\n      1 y\n');
    expect((await run('wc -l < log.txt; wc -l log.txt')).out).toBe('4\n4 log.txt\n');
    expect((await run(`printf '1\\n2\\n3\\n' | tail -n 1; printf '1\\n2\\n3\\n' | head -2 | tail -n +2`)).out).toBe('3\n2\n');
    expect((await run('echo kept | tee copy.txt | tr a-z A-Z')).out).toBe('KEPT\n');
    expect(readFileSync(join(lab, 'copy.txt'), 'utf8')).toBe('kept\n');
    expect((await run(`printf 'RIFF....' > w.bin; head -c 4 w.bin`)).out).toBe('RIFF');
  });

  it('files: mkdir -p, cd, pwd, ls, cp, mv, rm, touch', async () => {
    const shell = newShell();
    expect((await run('mkdir -p downloads/deep && cd downloads && pwd', shell)).out).toBe(`${join(lab, 'downloads')}\n`);
    await run('touch a.jsonl && cp a.jsonl b.jsonl && mv b.jsonl deep/', shell);
    expect((await run('ls; ls deep', shell)).out).toBe('a.jsonl\ndeep\nb.jsonl\n');
    expect((await run('rm -r deep; ls', shell)).out).toBe('a.jsonl\n');
    expect((await run('cd; pwd', shell)).out).toBe(`${lab}\n`);
  });
});
