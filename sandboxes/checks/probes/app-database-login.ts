/**
 * The database login the app uses, read from where the app reads it: the environment file the
 * API host loads (api/.env, MONGODB_URI). The checks log in with exactly what the app would,
 * so "the app still works" is tested with the learner's real configuration.
 */
import type { CheckContext } from '../context.ts';
import type { MongoLogin } from './mongo.ts';
import type { MongoClient } from 'mongodb';
import { AppCodeError, parseEnvFile } from '../../world/api/app-loader.ts';

export const APP_ENV_FILE = 'api/.env';

/**
 * MONGODB_URI as the app sees it: api/.env read by the API host's own parser, so a line the
 * app refuses is refused here too and the checks never log in with a file the app cannot load.
 */
function appEnv(text: string): { ok: true; uri?: string } | { ok: false; problem: string } {
  try {
    return { ok: true, uri: parseEnvFile(text, APP_ENV_FILE).MONGODB_URI };
  } catch (error) {
    if (error instanceof AppCodeError) return { ok: false, problem: error.message };
    throw error;
  }
}

export type AppLogin = { ok: true; login: MongoLogin; uri: string; port: number } | { ok: false; problem: string };

export function appLogin(ctx: CheckContext): AppLogin {
  const text = ctx.readText(APP_ENV_FILE);
  if (text === undefined) return { ok: false, problem: `${APP_ENV_FILE} is missing, so the app has no connection string` };
  const env = appEnv(text);
  if (!env.ok) return env;
  const uri = env.uri;
  if (!uri) return { ok: false, problem: `${APP_ENV_FILE} sets no MONGODB_URI` };
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return { ok: false, problem: `MONGODB_URI in ${APP_ENV_FILE} is not a valid connection string: ${uri}` };
  }
  if (!url.username) return { ok: false, problem: `the app's connection string (${APP_ENV_FILE}) has no user name, so the app connects anonymously` };
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const authSource = url.searchParams.get('authSource') ?? (url.pathname.length > 1 ? url.pathname.slice(1) : 'admin');
  return { ok: true, login: { username, password, authSource }, uri, port: Number(url.port || 27017) };
}

/** The port the app's connection string names on its localhost (27017 when unset or unreadable). */
export function appPort(ctx: CheckContext): number {
  const env = appEnv(ctx.readText(APP_ENV_FILE) ?? '');
  const uri = env.ok ? env.uri : undefined;
  try {
    return Number(new URL(uri ?? '').port || 27017);
  } catch {
    return 27017;
  }
}

/** A client that can read cloudpets as the app does: with its login if it has one, else anonymously on the host. */
export async function readerClient(ctx: CheckContext): Promise<MongoClient> {
  const login = appLogin(ctx);
  if (login.ok) {
    try {
      return await ctx.mongo('app', login.login, login.port);
    } catch {
      // fall through: maybe authorization is still off and the app needs no login
    }
  }
  return ctx.mongo('app', undefined, appPort(ctx));
}
