import { createLearnerStore, type LearnerIdentity } from './learner-identity';

/**
 * The page-wide learner identity, backed by localStorage. Runtimes call `getLearnerSeed()`
 * when they mount a lab (`Runtime.mount(labId, { seed })`).
 */
function browserStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    // Accessing localStorage throws when the browser blocks storage for this site.
    return undefined;
  }
}

const store = createLearnerStore({ storage: browserStorage() });

export const getLearner = (): LearnerIdentity => store.getLearner();
export const getLearnerSeed = (): number => store.getSeed();
export const resetLearner = (): LearnerIdentity => store.reset();
export type { LearnerIdentity } from './learner-identity';
