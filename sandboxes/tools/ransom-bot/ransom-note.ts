/**
 * The note the January 2017 groups left in place of the data (database names seen on the
 * CloudPets server: README_MISSING_DATABASES, PWNED_SECURE_YOUR_STUFF_SILLY, PLEASE_READ).
 * The bitcoin address and e-mail are deliberately fake: "LAB" and "FAKE" inside an address
 * that is not valid base58, and a reserved .test domain.
 */
export const FAKE_BTC_ADDRESS = '1LABFAKEADDRESS0000NotARealBitcoinAddr0';
export const FAKE_CONTACT = 'recover-your-data@ransom-crew.test';

export const NOTE_DATABASES = ['README_MISSING_DATABASES', 'PWNED_SECURE_YOUR_STUFF_SILLY', 'PLEASE_READ'] as const;

export function ransomNote(demand: string, databases: string[], copied: boolean, now = new Date()) {
  return {
    note:
      `Your databases (${databases.join(', ')}) are gone. ` +
      (copied ? 'We have a copy. ' : '') +
      `Send ${demand} to ${FAKE_BTC_ADDRESS} and e-mail ${FAKE_CONTACT} with your server's IP address to get them back.`,
    btc: FAKE_BTC_ADDRESS,
    demand,
    contact: FAKE_CONTACT,
    databases,
    date: now,
    lab: 'CloudPets breach lab simulation: fake address, nothing to pay, nobody to pay.',
  };
}
