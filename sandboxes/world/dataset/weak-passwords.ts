/**
 * The tiny list a few percent of fake users picked: the passwords Troy Hunt's short wordlist
 * cracked in the real leak ("qwe" came from CloudPets' own tutorial video), plus a few of
 * the most common passwords of the time. Also the learner's wordlist for the cracking lab.
 */
export const WEAK_PASSWORDS = ['qwe', 'cloudpets', '123456', 'password', 'qwerty', '12345678', '111111', 'abc123', 'iloveyou', 'teddy'] as const;

/** Share of users with a weak password ("a few percent"). */
export const WEAK_PASSWORD_SHARE = 0.04;
