/**
 * The one line a world process writes on its stdout to say how its start went. The lab shell
 * (its parent) reads readiness from this line rather than from files or pids: a child's own
 * pipe is the one channel every runtime (WebContainer included) gives a parent.
 */
import type { WorldInfo } from '../lab-folder/paths.ts';

export const WORLD_REPORT_PREFIX = '@cloudpets-world ';

export function formatWorldReport(info: WorldInfo): string {
  return `${WORLD_REPORT_PREFIX}${JSON.stringify(info)}\n`;
}

/** The report in one line of the child's output, or undefined for an ordinary log line. */
export function parseWorldReport(line: string): WorldInfo | undefined {
  if (!line.startsWith(WORLD_REPORT_PREFIX)) return undefined;
  try {
    const info = JSON.parse(line.slice(WORLD_REPORT_PREFIX.length)) as WorldInfo;
    return typeof info?.status === 'string' ? info : undefined;
  } catch {
    return undefined;
  }
}
