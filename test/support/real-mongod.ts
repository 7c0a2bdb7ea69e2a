/**
 * Finds a real mongod for the comparison suites. mongodb-memory-server downloads one unless
 * MONGOMS_SYSTEM_BINARY names a binary; offline the download fails, and the suites then skip
 * with a one-line reason instead of failing or passing silently.
 */
import type { MongoMemoryServer } from 'mongodb-memory-server';

export interface RealMongod {
  uri: string;
  stop(): Promise<void>;
}

export async function startRealMongod(args: string[] = []): Promise<RealMongod | { skipReason: string }> {
  let server: MongoMemoryServer;
  // The library prints the whole download error (a dozen lines of stack) before it throws; the
  // one line we print instead says all a reader needs.
  const { warn, error: logError } = console;
  console.warn = console.error = () => {};
  try {
    const { MongoMemoryServer } = await import('mongodb-memory-server');
    server = await MongoMemoryServer.create({ instance: { args, ip: '127.0.0.1' } });
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0]!.replace(/, Details:$/, '') : String(error);
    return { skipReason: `no real mongod available (set MONGOMS_SYSTEM_BINARY to run this suite): ${why}` };
  } finally {
    console.warn = warn;
    console.error = logError;
  }
  return { uri: server.getUri(), stop: async () => void (await server.stop()) };
}
