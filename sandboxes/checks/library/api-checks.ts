/** Legitimate use of the app API: parents still log in (so the app still reaches its data). */
import type { Check } from '../types.ts';
import { apiLogin, describeResponse } from '../probes/app-api.ts';
import { knownParents, seededFacts } from '../seeded-world.ts';
import { loginAsParent } from '../probes/parent-login.ts';

export function apiLogsParentsIn(anchor: string, options: { allowMustChange?: boolean } = {}): Check {
  return {
    id: 'api-logs-parents-in',
    title: 'Parents can still log in through the app',
    hint: 'The API reads its connection string from api/.env: give it the app user\'s name and password, then restart.',
    lessonAnchor: anchor,
    async run(ctx) {
      const seeded = seededFacts(ctx);
      if (!seeded) return { pass: false, reason: '.lab/seeded.json is missing, so no known parent can be tried' };
      const [parent] = knownParents(seeded.options, 1);
      if (!parent) return { pass: false, reason: 'the dataset has no parent with a known password to try' };
      if (options.allowMustChange) {
        // Under the password policy this parent (a listed password) changes it at first login.
        const session = await loginAsParent(ctx, parent);
        return session.token ? { pass: true, reason: `${parent.email} logged in through the API and got a session` } : { pass: false, reason: session.problem! };
      }
      let login;
      try {
        login = await apiLogin(ctx, parent.email, parent.password);
      } catch (error) {
        return { pass: false, reason: `the API did not answer: ${(error as Error).message}` };
      }
      if (!login.token) return { pass: false, reason: `logging in as ${parent.email} failed: ${describeResponse(login.result)}` };
      return { pass: true, reason: `${parent.email} logged in through the API and got a session` };
    },
  };
}
