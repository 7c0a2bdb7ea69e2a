/**
 * The classroom's own pages, rendered on the server with every value escaped: the
 * instructor's matrix (learners by labs), a page per learner, and the join page learners
 * open. The only script is /live.js (served from here, allowed by the pages' CSP), which
 * swaps in a fresh matrix when the server says a hand-in was graded.
 */
import { LABS } from '../../sandboxes/labs/registry.ts';
import { escapeHtml, matrixCell, REPORT_CSS } from '../../sandboxes/grading/grade-reports.ts';
import { statusWords, type GradeResult } from '../../sandboxes/grading/grade.ts';
import type { ClassRecord, HandInRecord, LearnerRecord } from './store.ts';

export const CLASSROOM_CSS = `${REPORT_CSS}
.bar{display:flex;gap:1rem;align-items:center;flex-wrap:wrap}.bar form{display:inline}
button,.button{font:inherit;padding:.35rem .8rem;border:1px solid #4b5563;border-radius:6px;background:#f8fafc;color:#111;cursor:pointer;text-decoration:none}
code{background:#f2f4f7;padding:.1rem .3rem;border-radius:4px}.live{font-size:.9rem}`;

function page(title: string, body: string, script = false): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="stylesheet" href="/classroom.css">${script ? '<script src="/live.js" defer></script>' : ''}</head><body>${body}</body></html>\n`;
}

/** The latest graded result per learner and lab, and whether a newer hand-in is still waiting. */
export function latestCells(handIns: HandInRecord[]): Map<string, Map<string, { result?: GradeResult; waiting: boolean }>> {
  const cells = new Map<string, Map<string, { result?: GradeResult; waiting: boolean }>>();
  // handIns come newest first: the first graded one per cell wins.
  for (const handIn of handIns) {
    const row = cells.get(handIn.learnerId) ?? new Map<string, { result?: GradeResult; waiting: boolean }>();
    cells.set(handIn.learnerId, row);
    const cell = row.get(handIn.lab) ?? { waiting: false };
    row.set(handIn.lab, cell);
    if (handIn.status === 'queued' && !cell.result) cell.waiting = true;
    if (handIn.result && !cell.result) cell.result = handIn.result;
  }
  return cells;
}

const learnerName = (learner: LearnerRecord): string => learner.name ?? learner.learnerId;

export function matrixTable(learners: LearnerRecord[], handIns: HandInRecord[]): string {
  const cells = latestCells(handIns);
  const head = `<tr><th>Learner</th>${LABS.map((lab) => `<th title="${escapeHtml(lab.meta.title)}">${escapeHtml(lab.meta.id)}</th>`).join('')}</tr>`;
  const rows = learners
    .map((learner) => {
      const row = cells.get(learner.learnerId);
      const tds = LABS.map((lab) => {
        const cell = row?.get(lab.meta.id);
        if (cell?.waiting && !cell.result) return '<td class="none">grading…</td>';
        const td = matrixCell(cell?.result);
        return cell?.waiting ? td.replace('</td>', ' (newer hand-in grading…)</td>') : td;
      }).join('');
      return `<tr data-learner="${escapeHtml(learner.learnerId)}"><th><a href="/teach/learners/${encodeURIComponent(learner.learnerId)}">${escapeHtml(learnerName(learner))}</a></th>${tds}</tr>`;
    })
    .join('');
  return `<table id="matrix" aria-label="Learners by labs"><thead>${head}</thead><tbody>${rows || `<tr><td colspan="${LABS.length + 1}">No learner has joined yet.</td></tr>`}</tbody></table>`;
}

export function instructorPage(cls: ClassRecord, learners: LearnerRecord[], handIns: HandInRecord[], info: { joinUrl: string; csrfToken: string; pending: number }): string {
  return page(
    `${cls.name}: classroom`,
    `<h1>${escapeHtml(cls.name)}</h1>
<p class="bar"><span>Join link for learners: <code>${escapeHtml(info.joinUrl)}</code> (class code <strong>${escapeHtml(cls.code)}</strong>)</span></p>
<p class="bar"><a class="button" href="/teach/export.csv">Export CSV</a><a class="button" href="/teach/report.html">Printable report</a>
<form method="post" action="/teach/regrade"><input type="hidden" name="csrf" value="${escapeHtml(info.csrfToken)}"><button type="submit">Re-grade every latest hand-in</button></form>
<span class="live muted" id="live" role="status">${info.pending} hand-in(s) waiting to be graded.</span></p>
<p class="muted">Each cell is the latest hand-in of that learner for that lab, graded by re-running the lab's checks in a fresh world from the learner's own seed. Hover a cell for the reasons; click a learner for their page.</p>
<div id="matrix-host">${matrixTable(learners, handIns)}</div>`,
    true,
  );
}

export function learnerPage(cls: ClassRecord, learner: LearnerRecord, handIns: HandInRecord[]): string {
  const items = handIns
    .map((handIn) => {
      const r = handIn.result;
      if (!r) return `<li><strong>${escapeHtml(handIn.lab)}</strong>, handed in ${escapeHtml(handIn.receivedAt)}: grading…</li>`;
      const reasons = [...r.failures.map((f) => `<li><strong>${escapeHtml(f.title)}</strong>: ${escapeHtml(f.reason)}</li>`), ...r.notes.map((n) => `<li class="note">${escapeHtml(n)}</li>`)].join('');
      return `<li><strong>${escapeHtml(r.labTitle)}</strong> (${escapeHtml(handIn.lab)}), handed in ${escapeHtml(handIn.receivedAt)}: ${escapeHtml(statusWords(r))}${reasons ? `<ul>${reasons}</ul>` : ''}</li>`;
    })
    .join('');
  return page(
    `${learnerName(learner)}: ${cls.name}`,
    `<p><a href="/teach">← ${escapeHtml(cls.name)}</a></p><h1>${escapeHtml(learnerName(learner))}</h1>
<p class="muted">Learner id ${escapeHtml(learner.learnerId)}, joined ${escapeHtml(learner.joinedAt)}. Every hand-in, newest first.</p>
<ul>${items || '<li>No hand-ins yet.</li>'}</ul>`,
  );
}

export function joinPage(cls: ClassRecord, courseJoinUrl: string): string {
  return page(
    `Join ${cls.name}`,
    `<h1>Join ${escapeHtml(cls.name)}</h1>
<p>Your instructor runs this classroom. Open the course through the link below: the course then sends your lab work here when a lab's checks pass (and when you press "Send to class"), and the instructor sees the results.</p>
<p><a class="button" href="${escapeHtml(courseJoinUrl)}">Open the course and join</a></p>
<p class="muted">Class code ${escapeHtml(cls.code)}. You may give a name or e-mail when the course asks; you can also leave it empty.</p>`,
  );
}

export function messagePage(title: string, text: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`);
}

/** The instructor page's live update: on each "graded" event, fetch the matrix again. */
export const LIVE_SCRIPT = `(() => {
  const host = document.getElementById('matrix-host');
  const live = document.getElementById('live');
  if (!host || !window.EventSource) return;
  let busy = false, again = false;
  const refresh = async () => {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const response = await fetch('/teach/matrix', { credentials: 'same-origin' });
      if (response.ok) {
        const data = await response.json();
        host.innerHTML = data.html;
        if (live) live.textContent = data.pending + ' hand-in(s) waiting to be graded. Updated ' + new Date().toLocaleTimeString() + '.';
      }
    } finally {
      busy = false;
      if (again) { again = false; refresh(); }
    }
  };
  const events = new EventSource('/teach/events');
  events.addEventListener('graded', refresh);
  events.addEventListener('received', refresh);
})();
`;
