/**
 * The files and folders the labs ask the learner to write, named once for the checks that read
 * them, the lab panel that shows them and the hand-in that packs them. Constants only, so the
 * page can import them without the checks' parsers.
 */
/** Where the attack labs save what they take: exported documents and recordings. */
export const DOWNLOADS_DIR = 'downloads';
/** The attack and detection labs' findings, "key: value" lines. */
export const FINDINGS_FILE = 'findings.txt';
/** The cracking lab's answer, "email:password" lines. */
export const CRACKED_FILE = 'cracked.txt';
