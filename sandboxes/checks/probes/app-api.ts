/**
 * The app API as the phone app used it, from the internet: log in, list my recordings, ask
 * for a recording link. One place for the routes, so every check speaks to the API the same way.
 */
import type { CheckContext } from '../context.ts';
import type { HttpProbe, HttpResult } from './http.ts';

export const API = 'http://api.cloudpets.test';

export interface ApiLogin {
  result: HttpResult;
  token?: string;
}

export async function apiLogin(ctx: CheckContext, email: string, password: string, options: { from?: HttpProbe['from'] } = {}): Promise<ApiLogin> {
  const result = await ctx.http({ method: 'POST', url: `${API}/login`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }), from: options.from });
  const json = result.json as { token?: string } | undefined;
  return { result, token: result.status === 200 && typeof json?.token === 'string' ? json.token : undefined };
}

export async function apiSignup(ctx: CheckContext, email: string, password: string, name = 'Test Parent'): Promise<HttpResult> {
  return ctx.http({ method: 'POST', url: `${API}/signup`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password, name }) });
}

export async function apiGet(ctx: CheckContext, path: string, token?: string): Promise<HttpResult> {
  return ctx.http({ url: `${API}${path}`, headers: token ? { authorization: `Bearer ${token}` } : {} });
}

/** "HTTP 401: {"error":"..."}" for reason lines, trimmed. */
export function describeResponse(result: HttpResult): string {
  const body = result.text.replace(/\s+/g, ' ').trim();
  return `HTTP ${result.status}${body ? `: ${body.length > 140 ? `${body.slice(0, 140)}…` : body}` : ''}`;
}

export async function myRecordings(ctx: CheckContext, token: string): Promise<HttpResult> {
  return apiGet(ctx, '/me/recordings', token);
}

/** Asks the API for a link to one recording; `url` is set when it handed one out. */
export async function recordingLink(ctx: CheckContext, token: string, recordingId: string): Promise<{ result: HttpResult; url?: string }> {
  const result = await apiGet(ctx, `/recordings/${recordingId}/link`, token);
  const json = result.json as { url?: string } | undefined;
  return { result, url: result.status === 200 && typeof json?.url === 'string' ? json.url : undefined };
}
