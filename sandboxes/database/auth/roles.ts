/**
 * mongod's built-in roles reduced to the actions this server's commands check. Names and
 * scopes are mongod's (https://www.mongodb.com/docs/manual/reference/built-in-roles/): the
 * database roles work on the database they are granted in, the "AnyDatabase" and cluster
 * roles only exist in admin.
 */
export type Action =
  | 'find' | 'insert' | 'update' | 'remove'
  | 'createCollection' | 'dropCollection' | 'createIndex' | 'dropIndex' | 'dropDatabase'
  | 'listCollections' | 'listIndexes' | 'dbStats' | 'collStats' | 'killCursors'
  | 'createUser' | 'dropUser' | 'updateUser' | 'grantRole' | 'revokeRole' | 'viewUser' | 'viewRole'
  | 'listDatabases' | 'getLog' | 'getCmdLineOpts' | 'getParameter' | 'serverStatus' | 'inprog' | 'shutdown';

/**
 * What a privilege is on: the cluster, a database, or one collection of a database. Built-in
 * roles reach the non-system collections only; `system.*` collections (admin.system.users
 * above all) are reached through the user-management actions or not at all.
 */
export type Resource = { db: string; collection?: string } | { cluster: true };

export function isSystemCollection(name: string): boolean {
  return name.startsWith('system.');
}

export interface RoleRef {
  role: string;
  db: string;
}

const READ: Action[] = ['find', 'listCollections', 'listIndexes', 'dbStats', 'collStats', 'killCursors'];
const WRITE: Action[] = ['insert', 'update', 'remove', 'createCollection', 'dropCollection', 'createIndex', 'dropIndex'];
const DB_ADMIN: Action[] = [
  'listCollections', 'listIndexes', 'dbStats', 'collStats', 'createCollection', 'dropCollection', 'createIndex', 'dropIndex', 'dropDatabase', 'killCursors',
];
const USER_ADMIN: Action[] = ['createUser', 'dropUser', 'updateUser', 'grantRole', 'revokeRole', 'viewUser', 'viewRole'];
const CLUSTER_MONITOR: Action[] = ['listDatabases', 'getLog', 'getCmdLineOpts', 'getParameter', 'serverStatus', 'inprog'];

interface RoleGrant {
  /** Actions on the database the role was granted in. */
  db?: Action[];
  /** Actions on every database. */
  anyDb?: Action[];
  cluster?: Action[];
  adminOnly?: boolean;
  /** Actions on system.* collections of every database (root reads them, as backup does). */
  anySystem?: Action[];
}

export const BUILT_IN_ROLES: Record<string, RoleGrant> = {
  read: { db: READ },
  readWrite: { db: [...READ, ...WRITE] },
  dbAdmin: { db: DB_ADMIN },
  userAdmin: { db: USER_ADMIN },
  dbOwner: { db: [...READ, ...WRITE, ...DB_ADMIN, ...USER_ADMIN] },
  readAnyDatabase: { anyDb: READ, cluster: ['listDatabases'], adminOnly: true },
  readWriteAnyDatabase: { anyDb: [...READ, ...WRITE], cluster: ['listDatabases'], adminOnly: true },
  userAdminAnyDatabase: { anyDb: USER_ADMIN, cluster: ['listDatabases'], adminOnly: true },
  dbAdminAnyDatabase: { anyDb: DB_ADMIN, cluster: ['listDatabases'], adminOnly: true },
  clusterMonitor: { cluster: CLUSTER_MONITOR, adminOnly: true },
  root: { anyDb: [...READ, ...WRITE, ...DB_ADMIN, ...USER_ADMIN], cluster: [...CLUSTER_MONITOR, 'shutdown'], adminOnly: true, anySystem: ['find', 'listIndexes', 'collStats'] },
};

export function roleExists(role: RoleRef): boolean {
  const grant = BUILT_IN_ROLES[role.role];
  return grant !== undefined && (!grant.adminOnly || role.db === 'admin');
}

/** Does any of `roles` allow `action` on `resource`? */
export function rolesAllow(roles: RoleRef[], action: Action, resource: Resource): boolean {
  return roles.some((ref) => {
    const grant = BUILT_IN_ROLES[ref.role];
    if (!grant || (grant.adminOnly && ref.db !== 'admin')) return false;
    if ('cluster' in resource) return grant.cluster?.includes(action) ?? false;
    // As in mongod, no database role reaches a system collection: readWriteAnyDatabase
    // dropping admin.system.users would reopen the localhost exception and hand out root.
    if (resource.collection !== undefined && isSystemCollection(resource.collection)) return grant.anySystem?.includes(action) ?? false;
    if (grant.anyDb?.includes(action)) return true;
    return ref.db === resource.db && (grant.db?.includes(action) ?? false);
  });
}

/** Databases a user may see in listDatabases without the cluster-wide privilege. */
export function databasesNamedByRoles(roles: RoleRef[]): Set<string> {
  return new Set(roles.filter((r) => BUILT_IN_ROLES[r.role]?.db).map((r) => r.db));
}
