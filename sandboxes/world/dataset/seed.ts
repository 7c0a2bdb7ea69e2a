/**
 * The range of a world's seed (a learner's seed, src/progress): a 32-bit unsigned whole number,
 * as the dataset's PRNG takes it. In a file of its own so that programs and servers that only
 * check a seed do not load the dataset generator.
 */
export const DEFAULT_SEED = 2016;
export const MAX_SEED = 0xffffffff;
