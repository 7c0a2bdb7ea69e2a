/**
 * The course page's side of a classroom (src/classroom): the join link opens the course with
 * `?classroom=<origin>&class=<code>`; the page joins once with the learner id (and the name,
 * if given), keeps the class and its learner token in this browser, and then sends hand-ins
 * with that token. The site's CSP must allow the classroom's origin (CLOUDPETS_CLASSROOM_ORIGIN
 * at build or `npm start`); otherwise the browser blocks the request and we say so.
 */
export const CLASSROOM_KEY = 'cloudpets-lab:classroom:v1';

export interface ClassMembership {
  origin: string;
  code: string;
  className?: string;
  token?: string;
}

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

export function readMembership(): ClassMembership | undefined {
  try {
    const value = JSON.parse(storage()?.getItem(CLASSROOM_KEY) ?? 'null') as ClassMembership | null;
    if (!value || typeof value.origin !== 'string' || typeof value.code !== 'string') return undefined;
    return value;
  } catch {
    return undefined;
  }
}

function saveMembership(membership: ClassMembership | undefined): void {
  try {
    if (membership) storage()?.setItem(CLASSROOM_KEY, JSON.stringify(membership));
    else storage()?.removeItem(CLASSROOM_KEY);
  } catch {
    // stays for this visit only
  }
}

export function leaveClass(): void {
  saveMembership(undefined);
}

/** The class a join link names, or undefined. The origin must be http(s) and the code six letters/digits. */
export function membershipFromLocation(search: string): ClassMembership | undefined {
  const params = new URLSearchParams(search);
  const origin = params.get('classroom');
  const code = params.get('class')?.toUpperCase();
  if (!origin || !code || !/^[A-Z0-9]{6}$/.test(code)) return undefined;
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return { origin: url.origin, code };
  } catch {
    return undefined;
  }
}

async function call(membership: ClassMembership, path: string, init: RequestInit): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(`${membership.origin}/api/classes/${membership.code}/${path}`, { ...init, mode: 'cors', credentials: 'omit' });
  } catch {
    throw new Error(
      `the classroom at ${membership.origin} cannot be reached. Is it running, and does this site allow it? ` +
        `(start the course with CLOUDPETS_CLASSROOM_ORIGIN=${membership.origin})`,
    );
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) throw new Error(typeof body.error === 'string' ? body.error : `the classroom answered HTTP ${response.status}`);
  return body;
}

/** Joins (once) and keeps the token. Joining the same class again is a no-op. */
export async function joinClass(target: ClassMembership, learner: { id: string; name?: string }): Promise<ClassMembership> {
  const current = readMembership();
  if (current?.token && current.origin === target.origin && current.code === target.code) return current;
  const body = await call(target, 'join', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ learnerId: learner.id, ...(learner.name ? { name: learner.name } : {}) }) });
  const joined: ClassMembership = { ...target, token: String(body.learnerToken), className: String(body.className ?? '') };
  saveMembership(joined);
  return joined;
}

export async function sendHandIn(bytes: Uint8Array): Promise<{ id: number; lab: string }> {
  const membership = readMembership();
  if (!membership?.token) throw new Error('this browser has not joined a class: open the join link your instructor gave you');
  const body = await call(membership, 'hand-ins', { method: 'POST', headers: { 'Content-Type': 'application/zip', Authorization: `Bearer ${membership.token}` }, body: bytes as BodyInit });
  return { id: Number(body.id), lab: String(body.lab) };
}

export interface MyResult {
  id: number;
  lab: string;
  receivedAt: string;
  status: 'queued' | 'graded';
  result?: { status: string; passedCount: number; total: number; failures: { title: string; reason: string }[]; notes: string[] };
}

export async function myResults(): Promise<MyResult[]> {
  const membership = readMembership();
  if (!membership?.token) return [];
  const body = await call(membership, 'me', { method: 'GET', headers: { Authorization: `Bearer ${membership.token}` } });
  return Array.isArray(body.handIns) ? (body.handIns as MyResult[]) : [];
}
