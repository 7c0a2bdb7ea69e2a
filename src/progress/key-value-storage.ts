/**
 * Where the course keeps what a learner's browser remembers (lesson progress, the learner's
 * identity): the part of the Web Storage API the stores use, localStorage when the browser
 * allows it, and a stand-in that forgets on reload when it does not.
 */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** localStorage, or undefined when the browser blocks storage for this site. */
export function browserStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    // Accessing localStorage throws when the browser blocks storage for this site.
    return undefined;
  }
}

/** Storage that forgets on reload: used when localStorage is missing or refuses access. */
export function memoryStorage(): KeyValueStorage {
  const values = new Map<string, string>();
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
  };
}
