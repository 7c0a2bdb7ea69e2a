import type { Document } from 'bson';
import type { CommandHandler } from './command.ts';
import { onCluster } from './helpers/privileges.ts';
import { SCRAM_MECHANISMS } from '../auth/scram.ts';

const PARAMETERS = (authEnabled: boolean): Document => ({
  featureCompatibilityVersion: { version: '7.0' },
  authenticationMechanisms: SCRAM_MECHANISMS,
  authorization: authEnabled ? 'enabled' : 'disabled',
  quiet: false,
  logLevel: 0,
});

export const getParameter: CommandHandler = {
  name: 'getParameter',
  auth: () => onCluster('getParameter'),
  run: (ctx) => {
    const all = PARAMETERS(ctx.server.authEnabled);
    const reply: Document = {};
    const wantsAll = ctx.cmd.getParameter === '*' || (typeof ctx.cmd.getParameter === 'object' && ctx.cmd.getParameter?.allParameters);
    for (const [name, value] of Object.entries(all)) {
      if (wantsAll || name in ctx.cmd) reply[name] = value;
    }
    return { ...reply, ok: 1 };
  },
};
