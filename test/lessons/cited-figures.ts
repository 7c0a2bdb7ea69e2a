/**
 * Every figure a lesson may state, with where it comes from. The lesson test fails when a
 * lesson prints a grouped number (821,396), an amount of money or bitcoin, or a size that is
 * not listed here: a new figure needs a public source first (one the lesson cites in its
 * frontmatter `sources`), then a line here.
 */
export const CITED_FIGURES: Record<string, string> = {
  '821,396': 'registered users; Victor Gevers (GDI Foundation) to Motherboard',
  '821,296': 'registered users as printed by Ars Technica and others (disagrees with 821,396)',
  '821,000': 'rounded account count used by the course ("about 821,000")',
  '371,970': 'friend records; Victor Gevers to Motherboard',
  '2,182,337': 'voice messages; Victor Gevers to Motherboard',
  '583,503': 'accounts in Have I Been Pwned (the subset handed to Troy Hunt)',
  '52,000': 'open MongoDB servers listed by Shodan, Jan 2017 (KrebsOnSecurity)',
  '2,000': 'ransomed MongoDB servers, second count of the January 2017 wave (CSO)',
  '10,500': 'ransomed MongoDB servers, third count (CSO)',
  '12,000': 'ransomed MongoDB servers before the jump to 27,000 (CSO)',
  '27,000': 'ransomed MongoDB servers after the spike (Niall Merrigan via CSO)',
  '15,972': 'databases wiped by the group kraken0 (CSO)',
  '28,000': "databases the CloudPets FAQ says the same exploit affected (company statement)",
  'US$1,190': 'reported CloudPets ransom demand (Daily Mail)',
  'NZ$1,665': 'the same demand as reported by the NZ Herald',
  '1 BTC': 'reported CloudPets demand, and kraken0\'s demand (CSO)',
  '0.2 BTC': "Harak1r1's demand (CSO)",
  '10 GB': 'reported database size (Computer Weekly)',
};

/** The shapes of figure the test looks for in lesson text. */
export const FIGURE_PATTERNS: RegExp[] = [
  /(?:US\$|NZ\$|\$)?\b\d{1,3}(?:,\d{3})+\b/g, // grouped numbers and amounts
  /\b\d+(?:\.\d+)?\s?BTC\b/g,
  /\b\d+(?:\.\d+)?\s?GB\b/g,
];
