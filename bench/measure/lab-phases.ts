/**
 * Where the time to a prompt and to the checks' results goes, for `npm run bench -- lab`:
 * per run, the page's requests (how many, bytes, the slowest) and the lab socket's messages
 * with their times since navigation start (socket open, runner ready, open-shell sent,
 * shell-ready received, run-checks sent, result received), and the check report's own
 * timings (world restart, each check). Times are from one run on one machine: compare the
 * phases with each other, not with another machine's.
 */
import type { Page } from 'playwright-core';

export interface PhaseRecorder {
  /** One line: the lab socket's milestones, ms since navigation start. */
  socketLine(): Promise<string>;
  /** One line: the page's requests until now. */
  requestsLine(): Promise<string>;
  /** One line: the last check report's own timings. */
  reportLine(): Promise<string>;
}

export async function recordPhases(page: Page): Promise<PhaseRecorder> {
  // Milestones, in the page's clock (performance.now()), recorded by the page itself so the
  // bench process (busy serving) does not skew them.
  // A string, not a function: the bench's TypeScript compiler would wrap a function's classes in helpers the page does not have.
  await page.addInitScript(`(() => {
    const marks = [];
    window.labSocketMarks = marks;
    const now = () => performance.now().toFixed(0);
    const typeOf = (data) => /"type":"([a-z-]+)"/.exec(String(data))?.[1];
    const Native = window.WebSocket;
    class Watched extends Native {
      constructor(url, protocols) {
        super(url, protocols);
        marks.push('socket-created ' + now());
        this.addEventListener('open', () => marks.push('socket-open ' + now()));
        this.addEventListener('message', (event) => {
          const type = typeOf(event.data);
          if (type === 'output') {
            if (!marks.some((m) => m.startsWith('first-output<'))) marks.push('first-output< ' + now());
          } else if (type && type !== 'chunk') marks.push(type + '< ' + now());
          if (type === 'result' && String(event.data).includes('"results"')) window.lastReport = JSON.parse(String(event.data)).value;
        });
      }
      send(data) {
        const type = typeOf(data);
        if (type && type !== 'input' && type !== 'resize') marks.push(type + '> ' + now());
        super.send(data);
      }
    }
    window.WebSocket = Watched;
  })();`);
  return {
    socketLine: () => page.evaluate(() => (window as unknown as { labSocketMarks: string[] }).labSocketMarks.join(', ')),
    requestsLine: () =>
      page.evaluate(() => {
        const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
        const bytes = entries.reduce((sum, e) => sum + e.transferSize, 0);
        const slowest = [...entries]
          .sort((a, b) => b.duration - a.duration)
          .slice(0, 3)
          .map((e) => `${new URL(e.name).pathname.split('/').pop()} ${e.startTime.toFixed(0)}+${e.duration.toFixed(0)}`);
        const last = Math.max(0, ...entries.map((e) => e.responseEnd));
        return `${entries.length} requests, ${(bytes / 1024).toFixed(0)} KiB transferred, last ends ${last.toFixed(0)}; slowest: ${slowest.join(', ')}`;
      }),
    reportLine: async () => reportLine(await page.evaluate(() => (window as unknown as { lastReport?: Report }).lastReport)),
  };
}

type Report = { durationMs?: number; results?: { id: string; durationMs?: number }[] };

/** The check report's own timings: total, and each check's. */
export function reportLine(report: Report | undefined): string {
  if (!report) return 'no report';
  const results = report.results ?? [];
  const checks = results.reduce((sum, r) => sum + (r.durationMs ?? 0), 0);
  const each = results.filter((r) => r.durationMs).map((r) => `${r.id} ${r.durationMs}`).join(', ');
  return `report ${report.durationMs ?? '?'} ms: world restart and setup about ${(report.durationMs ?? 0) - checks}, checks ${checks} (${each})`;
}
