import type { UserDirectory } from './auth/users.ts';
import type { MongodConfig } from './config/mongod-config.ts';
import type { CursorRegistry } from './cursors.ts';
import type { MongodLog } from './log/mongod-log.ts';
import type { Store } from './storage/store.ts';

/** What every command can reach: the data, the users, the cursors, the log and the config. */
export interface ServerState {
  store: Store;
  users: UserDirectory;
  cursors: CursorRegistry;
  log: MongodLog;
  config: MongodConfig;
  startedAt: Date;
  argv: string[];
  /** The version buildInfo and serverStatus report (each lab world reports its own 2016-era one). */
  version: string;
  connectionCount(): number;
  authEnabled: boolean;
}
