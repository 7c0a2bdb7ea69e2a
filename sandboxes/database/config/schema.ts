/**
 * The mongod.conf keys this server understands, with their types. Keys are mongod's own
 * (https://www.mongodb.com/docs/manual/reference/configuration-options/); anything else is
 * refused, as mongod refuses it, instead of being silently ignored.
 */
export type OptionType = 'int' | 'bool' | 'string' | 'string-list' | { oneOf: string[] };

export const OPTIONS: Record<string, OptionType> = {
  'net.port': 'int',
  'net.bindIp': 'string-list',
  'net.bindIpAll': 'bool',
  'net.maxIncomingConnections': 'int',
  'net.ipv6': 'bool',
  'security.authorization': { oneOf: ['enabled', 'disabled'] },
  'security.javascriptEnabled': 'bool',
  'storage.dbPath': 'string',
  'systemLog.destination': { oneOf: ['file', 'syslog'] },
  'systemLog.path': 'string',
  'systemLog.logAppend': 'bool',
  'systemLog.quiet': 'bool',
  'systemLog.verbosity': 'int',
  'operationProfiling.slowOpThresholdMs': 'int',
  'operationProfiling.mode': { oneOf: ['off', 'slowOp', 'all'] },
  'processManagement.fork': 'bool',
  'processManagement.pidFilePath': 'string',
};
