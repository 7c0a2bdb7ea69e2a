/**
 * `npm run bench -- grade`: how fast the classroom grades, with the real grader and a real
 * SQLite file. Prints hand-ins graded per minute (a class handing in the recon lab at once,
 * two workers), and the time from a learner's passing hand-in to the instructor's live
 * matrix showing it (through the same event stream and matrix request the page uses).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshLab } from '../sandboxes/lab-shell/fresh-lab.ts';
import { handInFromLabFolder, packHandIn } from '../sandboxes/grading/load-submissions.ts';
import type { HandIn } from '../sandboxes/grading/archive-reader.ts';
import { openSqliteStore } from '../src/classroom/sqlite-store.ts';
import { startClassroom } from '../src/classroom/server.ts';

const COURSE = 'http://127.0.0.1:4321';
const CLASS_SIZE = Number(process.env.BENCH_CLASS_SIZE ?? 10);
const WORKERS = 2;

export async function run(): Promise<void> {
  const lab = await freshLab('recon', { solution: true, world: { seed: 2016, users: 150 } });
  let template: HandIn;
  try {
    template = handInFromLabFolder(lab.dir, { learner: { id: 'template' } });
  } finally {
    await lab.dispose();
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'cloudpets-bench-classroom-'));
  const classroom = await startClassroom({ store: await openSqliteStore(join(dataDir, 'classroom.sqlite')), courseOrigins: [COURSE], workers: WORKERS, handInBurst: 1000 });
  try {
    const { cls, instructorUrl } = classroom.createClass('Bench class');
    const api = `${classroom.url}/api/classes/${cls.code}`;
    const joinClass = async (id: string): Promise<string> => {
      const response = await fetch(`${api}/join`, { method: 'POST', headers: { Origin: COURSE, 'Content-Type': 'application/json' }, body: JSON.stringify({ learnerId: id }) });
      return String(((await response.json()) as { learnerToken: string }).learnerToken);
    };
    const handIn = (id: string, token: string): Promise<Response> =>
      fetch(`${api}/hand-ins`, { method: 'POST', headers: { Origin: COURSE, Authorization: `Bearer ${token}`, 'Content-Type': 'application/zip' }, body: packHandIn({ ...template, manifest: { ...template.manifest, learner: { id } } }) as BodyInit });

    // Throughput: the whole class hands in at once.
    const learners = Array.from({ length: CLASS_SIZE }, (_, i) => ({ id: `l-${(0xbe00 + i).toString(16).padStart(16, '0')}`, token: '' }));
    for (const learner of learners) learner.token = await joinClass(learner.id);
    const started = performance.now();
    await Promise.all(learners.map((l) => handIn(l.id, l.token)));
    await classroom.queue.idle();
    const minutes = (performance.now() - started) / 60_000;
    console.log(`grading throughput: ${CLASS_SIZE} recon hand-ins in ${(minutes * 60).toFixed(1)} s with ${WORKERS} workers = ${(CLASS_SIZE / minutes).toFixed(1)} hand-ins graded per minute`);

    // Latency: one learner passes; the instructor's page hears "graded" and fetches the matrix.
    const login = await fetch(instructorUrl, { redirect: 'manual' });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const events = await fetch(`${classroom.url}/teach/events`, { headers: { Cookie: cookie } });
    const reader = events.body!.getReader();
    const late = { id: 'l-00000000000000fe', token: '' };
    late.token = await joinClass(late.id);
    const sentAt = performance.now();
    await handIn(late.id, late.token);
    const decoder = new TextDecoder();
    let buffered = '';
    while (!buffered.includes('event: graded')) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the event stream ended before the grade');
      buffered += decoder.decode(value);
    }
    const matrix = (await (await fetch(`${classroom.url}/teach/matrix`, { headers: { Cookie: cookie } })).json()) as { html: string };
    const shownAt = performance.now();
    const row = new RegExp(`data-learner="${late.id}"[^]*?class="pass"`).test(matrix.html);
    await reader.cancel();
    console.log(`pass to instructor's matrix: ${((shownAt - sentAt) / 1000).toFixed(2)} s (hand-in received, graded in a fresh world, event, matrix fetched${row ? '' : '; NOT shown as passed'})`);
  } finally {
    await classroom.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
