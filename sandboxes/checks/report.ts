/** The human-readable report `checks` prints (the JSON one is the CheckReport itself). */
import type { CheckReport, CheckResult } from './types.ts';

export function formatResult(r: CheckResult, color = false): string {
  const mark = r.pass ? (color ? '\x1b[32m✔ PASS\x1b[0m' : '✔ PASS') : color ? '\x1b[31m✘ FAIL\x1b[0m' : '✘ FAIL';
  const lines = [`${mark}  ${r.title}`, `        ${r.reason}`];
  if (!r.pass) lines.push(`        hint: ${r.hint}`, `        read: ${r.lessonAnchor}`);
  return lines.join('\n');
}

export function formatReport(report: CheckReport, color = false): string {
  const header = `Checks for "${report.title}" (${report.lab}, ${report.kind} lab)`;
  const body = report.results.map((r) => formatResult(r, color)).join('\n');
  const summary = report.passed
    ? `All ${report.total} checks pass.`
    : `${report.passedCount} of ${report.total} checks pass; ${report.total - report.passedCount} to go.`;
  return `${header}\n\n${body}\n\n${summary}\n`;
}
