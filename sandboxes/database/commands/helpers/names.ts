import { CommandError } from '../../errors.ts';

/** mongod's namespace rules, checked before anything is created. */
export function checkDatabaseName(db: string): void {
  if (!db || /[/\\. "$\0]/.test(db) || db.length > 63) {
    throw new CommandError('InvalidNamespace', `Invalid database name: '${db}'`);
  }
}

export function checkCollectionName(db: string, name: string): void {
  checkDatabaseName(db);
  if (!name || name.includes('$') || name.includes('\0') || name.startsWith('.')) {
    throw new CommandError('InvalidNamespace', `Invalid collection name: ${name}`);
  }
}
