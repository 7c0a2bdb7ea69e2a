import { Int32 } from 'bson';

/** The lab server presents itself as a 7.0 mongod, the version the lessons describe. */
export const SERVER_VERSION = '7.0.14';

/** buildInfo's versionArray: [major, minor, patch, 0] as int32. */
export function versionArray(version: string = SERVER_VERSION): Int32[] {
  return version.split('.').map((n) => new Int32(Number(n))).concat([new Int32(0)]);
}
