/**
 * The built-in wordlist, used when --wordlist is not given. It is the same list as
 * wordlists/tiny.txt (a test keeps them equal) but compiled in, because a bundled tool on the
 * lab's PATH cannot count on finding a data file next to itself.
 */
export const TINY_WORDLIST: readonly string[] = [
  '123456', 'password', 'qwe', 'qwerty', 'cloudpets', '123456789', '12345678', '111111', 'abc123', 'iloveyou',
  'teddy', 'teddybear', 'letmein', 'welcome', 'monkey', 'dragon', 'sunshine', 'princess', 'football', 'admin',
];
