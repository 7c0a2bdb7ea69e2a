/**
 * What the panel knows about a lab: written by the lab bundle build next to the bundle as
 * /labs/<id>.meta.json (src/build/lab-bundle), from the lab's lab.ts.
 */
export interface LabCheckMeta {
  id: string;
  title: string;
  lessonAnchor: string;
}

export interface LabMetaJson {
  id: string;
  title: string;
  kind: 'attack' | 'fix';
  lesson: string;
  goal: string;
  /** Challenge mode: the goal alone, and three hints (nudge, command, full solution). */
  challenge?: { brief: string; hints: string[] };
  editable: string[];
  checks: LabCheckMeta[];
  /** Lab-relative paths of the reference solution's files inside the bundle (.lab/solution/...). */
  solutionFiles: string[];
  /** The lab's starting files (lab-relative), for "Open another file (read-only)". */
  files?: string[];
  /** Lab-relative path of the solution script (.lab/solution.sh) when the lab has one. */
  solutionScript?: string;
}

export async function fetchLabMeta(labId: string): Promise<LabMetaJson> {
  const response = await fetch(`/labs/${encodeURIComponent(labId)}.meta.json`);
  if (!response.ok) throw new Error(`lab "${labId}" is not built into this site (HTTP ${response.status}); run \`npm run build\``);
  return (await response.json()) as LabMetaJson;
}

/** "03-the-open-door#step-2" -> "/lessons/03-the-open-door/#step-2" */
export function lessonAnchorHref(anchor: string): string {
  const [slug = '', hash = ''] = anchor.split('#');
  return `/lessons/${slug}/${hash ? `#${hash}` : ''}`;
}
