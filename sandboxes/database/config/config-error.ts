/**
 * A mongod.conf that cannot be used. The message follows mongod's own wording so a learner
 * who later meets the real thing recognises it; start-up stops and nothing on disk changes.
 */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly key?: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}
