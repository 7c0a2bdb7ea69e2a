/**
 * What the grader writes: a plain table for the terminal, a CSV for spreadsheets, and a
 * self-contained HTML report (no script, no external file: it opens from an e-mail) with
 * learners by labs and one printable page per learner. The classroom server shows the same
 * matrix and exports the same CSV.
 */
import { LABS } from '../labs/registry.ts';
import { statusWords, type GradeResult } from './grade.ts';

export const learnerLabel = (r: Pick<GradeResult, 'learner'>): string => r.learner.name ?? r.learner.id;

/** The latest result per learner and lab (a learner may hand in a lab more than once). */
export function latestByLearnerAndLab(results: GradeResult[]): Map<string, Map<string, GradeResult>> {
  const byLearner = new Map<string, Map<string, GradeResult>>();
  for (const result of results) {
    const row = byLearner.get(result.learner.id) ?? new Map<string, GradeResult>();
    byLearner.set(result.learner.id, row);
    const previous = row.get(result.lab);
    if (!previous || (previous.handedInAt ?? '') <= (result.handedInAt ?? '')) row.set(result.lab, result);
  }
  return byLearner;
}

/** Labs in course order, then any lab id the course does not know (so nothing is hidden). */
export function labColumns(results: GradeResult[]): { id: string; title: string }[] {
  const known = LABS.map((lab) => ({ id: lab.meta.id, title: lab.meta.title })).filter((lab) => results.some((r) => r.lab === lab.id));
  const unknown = [...new Set(results.map((r) => r.lab))].filter((id) => !LABS.some((lab) => lab.meta.id === id)).map((id) => ({ id, title: id }));
  return [...known, ...unknown];
}

export function formatTable(results: GradeResult[]): string {
  const rows = results.map((r) => [learnerLabel(r), r.lab, statusWords(r), r.status === 'refused' ? r.notes[0] ?? '' : [...r.failures.map((f) => `${f.id}: ${f.reason}`), ...r.notes].join(' | ')]);
  const header = ['learner', 'lab', 'result', 'why'];
  const widths = header.slice(0, 3).map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((row) => row[i]!.length))));
  const line = (cells: string[]): string => cells.map((cell, i) => (i < 3 ? cell.slice(0, widths[i]).padEnd(widths[i]!) : cell)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w)).concat('---')), ...rows.map(line)].join('\n') + '\n';
}

/** A CSV cell; a leading = + - @ is neutralised so a spreadsheet never runs a learner's text as a formula. */
function csvCell(value: string | number | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatCsv(results: GradeResult[]): string {
  const header = ['learner_id', 'learner_name', 'lab', 'status', 'passed_checks', 'total_checks', 'hints_shown', 'solution_shown', 'failed_checks', 'notes', 'seed', 'handed_in_at', 'graded_at', 'source'];
  const lines = results.map((r) =>
    [
      r.learner.id,
      r.learner.name,
      r.lab,
      r.status,
      r.passedCount,
      r.total,
      r.help?.hintsShown ?? '',
      r.help ? String(r.help.solutionShown) : '',
      r.failures.map((f) => `${f.id}: ${f.reason}`).join('; '),
      r.notes.join('; '),
      r.seed,
      r.handedInAt,
      r.gradedAt,
      r.source,
    ].map(csvCell).join(','),
  );
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const CELL_CLASS: Record<GradeResult['status'], string> = { passed: 'pass', 'passed-with-help': 'help', failed: 'fail', refused: 'refused' };

/** One matrix cell's HTML (shared with the classroom server's live page). */
export function matrixCell(result: GradeResult | undefined): string {
  if (!result) return '<td class="none">—</td>';
  return `<td class="${CELL_CLASS[result.status]}" title="${escapeHtml([...result.failures.map((f) => `${f.title}: ${f.reason}`), ...result.notes].join('\n'))}">${escapeHtml(statusWords(result))}</td>`;
}

export const REPORT_CSS = `
body{font:15px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24;background:#fff}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #c8ccd2;padding:.35rem .6rem;text-align:left;vertical-align:top}
th{background:#f2f4f7}td.pass{background:#dff3e4;color:#0d4a1f}td.help{background:#fff4cf;color:#5a4300}
td.fail{background:#fde2e1;color:#7a1410}td.refused{background:#e9e3f7;color:#3d2470}td.none{color:#8a9099}
.learner{break-before:page;page-break-before:always;margin-top:2rem}.muted{color:#5b636d}.note{color:#7a1410}
@media print{body{margin:0}.noprint{display:none}}`;

export function formatHtml(results: GradeResult[], title = 'CloudPets Breach Lab: graded hand-ins'): string {
  const labs = labColumns(results);
  const rows = latestByLearnerAndLab(results);
  const learners = [...rows.keys()].sort((a, b) => learnerLabel(rows.get(a)!.values().next().value!).localeCompare(learnerLabel(rows.get(b)!.values().next().value!)));
  const nameOf = (id: string): string => learnerLabel(rows.get(id)!.values().next().value!);
  const matrix = `<table><thead><tr><th>Learner</th>${labs.map((lab) => `<th title="${escapeHtml(lab.title)}">${escapeHtml(lab.id)}</th>`).join('')}</tr></thead><tbody>${learners
    .map((id) => `<tr><th><a href="#learner-${escapeHtml(id)}">${escapeHtml(nameOf(id))}</a></th>${labs.map((lab) => matrixCell(rows.get(id)!.get(lab.id))).join('')}</tr>`)
    .join('')}</tbody></table>`;
  const pages = learners
    .map((id) => {
      const own = [...rows.get(id)!.values()];
      const sections = own
        .map((r) => {
          const failures = r.failures.map((f) => `<li><strong>${escapeHtml(f.title)}</strong>: ${escapeHtml(f.reason)}</li>`).join('');
          const notes = r.notes.map((n) => `<li class="note">${escapeHtml(n)}</li>`).join('');
          return `<h3>${escapeHtml(r.labTitle)} <span class="muted">(${escapeHtml(r.lab)})</span>: ${escapeHtml(statusWords(r))}</h3>
<p class="muted">Handed in ${escapeHtml(r.handedInAt ?? 'at an unknown time')}, graded ${escapeHtml(r.gradedAt)} in a fresh world from seed ${escapeHtml(String(r.seed ?? '?'))}.</p>
${failures || notes ? `<ul>${failures}${notes}</ul>` : '<p>Every check passed when re-run.</p>'}`;
        })
        .join('\n');
      return `<section class="learner" id="learner-${escapeHtml(id)}"><h2>${escapeHtml(nameOf(id))}</h2><p class="muted">Learner id ${escapeHtml(id)}</p>${sections}</section>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${REPORT_CSS}</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p class="muted">Every hand-in was graded by re-running its lab's checks in a fresh world built from the learner's own seed; the learner's own report was not trusted. Hover a cell for the reasons; each learner has a printable page below.</p>
${matrix}
${pages}
</body></html>
`;
}
