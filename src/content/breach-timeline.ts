/**
 * The CloudPets breach as dated events: the one place the course keeps its timeline, drawn to
 * scale in lesson 1 and summed up on the home page (both by BreachTimeline.astro), so the two
 * can never tell it at different precision. The dates follow the public sources listed in
 * lesson 1's `sources` (Troy Hunt, Computer Weekly, CSO, Motherboard, Auth0, the company's own
 * FAQ). Where sources disagree, the entry's text says so instead of picking a date (the end of
 * the exposure: CSO's 13 January against Motherboard's "at least until the first week of
 * January").
 */

/** A stretch of time (drawn as a bar) or a single day (drawn as a point on the axis). */
export interface BreachEvent {
  id: string;
  /** First day, ISO `YYYY-MM-DD` (UTC). */
  from: string;
  /** Last day, for a stretch of time. */
  to?: string;
  /**
   * The sources give this start only to the week (e.g. "late December"): `from` then places
   * it on the drawing, and `when` must not print a day.
   */
  startIsApproximate?: boolean;
  /** The date as the course states it, at the precision the sources support. */
  when: string;
  /** What happened, one sentence, for the text lists. */
  text: string;
  /** A short label for the drawing. */
  label: string;
  /** Shown in the home page's short timeline too. */
  headline?: boolean;
}

export const BREACH_EVENTS: readonly BreachEvent[] = [
  {
    id: 'open',
    from: '2016-12-25',
    to: '2017-01-13',
    when: 'From at least 25 December 2016',
    text: 'The database is reachable from the internet with no password; search engines for open servers list it.',
    label: 'database open, no password (to about 13 Jan)',
    headline: true,
  },
  {
    id: 'copied',
    from: '2016-12-25',
    to: '2017-01-08',
    when: '25 December 2016 to 8 January 2017',
    text: 'Extortionists copy the data. The voice recordings sit in a storage bucket anyone can read.',
    label: 'copied by extortionists (25 Dec–8 Jan)',
    headline: true,
  },
  {
    id: 'warnings',
    from: '2016-12-30',
    startIsApproximate: true,
    to: '2017-02-22',
    when: 'Late December 2016 onwards',
    text: 'Researchers try to warn the company by e-mail, LinkedIn and through a journalist; Troy Hunt counts at least four attempts, none answered.',
    label: "researchers' warnings go unanswered (at least four attempts)",
  },
  {
    id: 'wiped',
    from: '2017-01-07',
    when: 'Early January 2017',
    text: 'The data is wiped and replaced with ransom notes, more than once; Auth0 dates one wipe and demand to 7 January.',
    label: '7 Jan: data wiped, ransom demand (Auth0)',
    headline: true,
  },
  {
    id: 'closed',
    from: '2017-01-13',
    when: 'By 13 January 2017',
    text: 'The database is no longer publicly reachable (CSO). Motherboard says only that it was exposed at least until the first week of January; the often quoted 12 January comes from a later summary of its report.',
    label: '13 Jan: no longer reachable (CSO)',
  },
  {
    id: 'company-learns',
    from: '2017-02-22',
    when: '22 February 2017',
    text: 'Spiral Toys says it first learned of the issue.',
    label: '22 Feb: company says it first learns of it',
  },
  {
    id: 'published',
    from: '2017-02-27',
    when: '27 February 2017',
    text: 'Troy Hunt publishes his analysis (28 February in Australia); Have I Been Pwned adds 583,503 accounts.',
    label: '27 Feb: Troy Hunt publishes; HIBP adds 583,503 accounts',
    headline: true,
  },
  {
    id: 'bluetooth',
    from: '2017-02-28',
    when: '28 February 2017',
    text: 'Context Information Security publishes a separate Bluetooth weakness in the toy.',
    label: '28 Feb: separate Bluetooth flaw published (Context)',
  },
  {
    id: 'senator',
    from: '2017-03-07',
    when: '7 March 2017',
    text: "US Senator Bill Nelson writes to the company about children's privacy.",
    label: '7 Mar: US Senator Bill Nelson writes to the company',
  },
];

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from `start` to `date` (both ISO dates), for drawing to scale. */
export function daysBetween(start: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / DAY_MS);
}
