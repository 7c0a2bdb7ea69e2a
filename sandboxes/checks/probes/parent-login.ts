/**
 * Logging in as a real parent the way the phone app would, including the password policy's
 * "change it at next login": a parent with a listed password changes it (to a passphrase
 * derived from their e-mail, so a later run can log in again) and carries on.
 */
import type { CheckContext } from '../context.ts';
import { API, apiLogin, describeResponse } from './app-api.ts';
import type { KnownParent } from '../seeded-world.ts';

/** The passphrase a check gives a parent the policy asked to change theirs. */
export function changedPassword(parent: KnownParent): string {
  return `teddy hums for ${parent.email.split('@')[0]} at bedtime`;
}

export async function loginAsParent(ctx: CheckContext, parent: KnownParent): Promise<{ token?: string; problem?: string }> {
  try {
    let login = await apiLogin(ctx, parent.email, parent.password);
    if (login.token) return { token: login.token };
    if (login.result.status === 401) {
      // An earlier run may already have changed this parent's listed password.
      const again = await apiLogin(ctx, parent.email, changedPassword(parent));
      if (again.token) return { token: again.token };
    }
    if ((login.result.json as { mustChangePassword?: boolean } | undefined)?.mustChangePassword === true) {
      const change = await ctx.http({ method: 'POST', url: `${API}/change-password`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: parent.email, password: parent.password, newPassword: changedPassword(parent) }) });
      if (change.status !== 200) return { problem: `${parent.email} was asked to change a listed password, but the change failed: ${describeResponse(change)}` };
      login = await apiLogin(ctx, parent.email, changedPassword(parent));
      if (login.token) return { token: login.token };
    }
    return { problem: `${parent.email} could not log in: ${describeResponse(login.result)}` };
  } catch (error) {
    return { problem: `the API did not answer: ${(error as Error).message}` };
  }
}
