import type { CommandHandler } from './command.ts';
import { onCluster } from './helpers/privileges.ts';

export const hostInfo: CommandHandler = {
  name: 'hostInfo',
  auth: () => onCluster('serverStatus'),
  run: () => ({ system: { hostname: 'db.cloudpets.test', currentTime: new Date() }, os: { type: 'Linux', name: 'CloudPets lab' }, ok: 1 }),
};
