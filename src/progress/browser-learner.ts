import { createLearnerStore, type LearnerIdentity } from './learner-identity';
import { browserStorage } from './key-value-storage';

/**
 * The page-wide learner identity, backed by localStorage. Runtimes call `getLearnerSeed()`
 * when they mount a lab (`Runtime.mount(labId, { seed })`).
 */
const store = createLearnerStore({ storage: browserStorage() });

export const getLearner = (): LearnerIdentity => store.getLearner();
export const getLearnerSeed = (): number => store.getSeed();
export const resetLearner = (): LearnerIdentity => store.reset();
export type { LearnerIdentity } from './learner-identity';
