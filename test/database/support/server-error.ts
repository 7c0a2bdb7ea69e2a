/** The server's refusal of a driver call, for tests that assert its code and message. */
import { MongoServerError } from 'mongodb';

/** The MongoServerError the call fails with; fails the test when the call succeeds. */
export async function serverError(promise: Promise<unknown>): Promise<MongoServerError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MongoServerError) return error;
    throw error;
  }
  throw new Error('expected the server to refuse, but it succeeded');
}
