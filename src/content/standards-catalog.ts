import type { LessonStandards } from './lesson-schema';

/**
 * Every standard id the course shows, with its official name and where to read it. Lessons
 * cite ids in frontmatter and, in prose, through `<Std id="...">`; test/lessons fails on an
 * id that is not in this catalogue, on a bare id in prose (its name would not come from here)
 * and on a source title that names an id differently. An id missing here is a mapping nobody
 * has checked against the standard yet: add it with the name the standard itself uses.
 *
 * Names are copied from the standards (checked November 2026):
 * - OWASP IoT Top 10 2018: the list's own headings (owasp.org, "OWASP-IoT-Top-10-2018-final").
 * - ETSI EN 303 645 V3.1.3: clause headings of clause 5; a provision such as 5.1-5 has no
 *   heading, so its entry is the provision's own sentence, shortened.
 * - CWE: the entry names on cwe.mitre.org (CWE 4.x; CWE-1188 was renamed from "Insecure
 *   Default Initialization of Resource").
 * - MITRE ATT&CK Enterprise: technique names; a sub-technique is "Technique: Sub-technique".
 */
export type StandardFamilyKey = keyof LessonStandards;

export interface StandardRef {
  id: string;
  name: string | undefined;
  url: string;
}

export interface StandardFamily {
  key: StandardFamilyKey;
  label: string;
  refs: StandardRef[];
}

export interface CatalogEntry {
  family: StandardFamilyKey;
  id: string;
  name: string;
  url: string;
}

const OWASP_IOT_2018_URL = 'https://owasp.org/www-project-internet-of-things/';
const ETSI_303645_URL = 'https://www.etsi.org/deliver/etsi_en/303600_303699/303645/';

const owasp: Record<string, string> = {
  I1: 'Weak, Guessable, or Hardcoded Passwords',
  I2: 'Insecure Network Services',
  I3: 'Insecure Ecosystem Interfaces',
  I4: 'Lack of Secure Update Mechanism',
  I5: 'Use of Insecure or Outdated Components',
  I6: 'Insufficient Privacy Protection',
  I7: 'Insecure Data Transfer and Storage',
  I8: 'Lack of Device Management',
  I9: 'Insecure Default Settings',
  I10: 'Lack of Physical Hardening',
};

const etsi: Record<string, string> = {
  '5.1': 'No universal default passwords',
  '5.1-5': 'Brute-force attacks on authentication mechanisms via network interfaces are made impracticable',
  '5.2': 'Implement a means to manage reports of vulnerabilities',
  '5.3': 'Keep software updated',
  '5.4': 'Securely store sensitive security parameters',
  '5.5': 'Communicate securely',
  '5.6': 'Minimize exposed attack surfaces',
  '5.7': 'Ensure software integrity',
  '5.8': 'Ensure that personal data is secure',
  '5.9': 'Make systems resilient to outages',
  '5.10': 'Examine system telemetry data',
  '5.11': 'Make it easy for users to delete user data',
};

const cwe: Record<string, string> = {
  'CWE-200': 'Exposure of Sensitive Information to an Unauthorized Actor',
  'CWE-250': 'Execution with Unnecessary Privileges',
  'CWE-284': 'Improper Access Control',
  'CWE-306': 'Missing Authentication for Critical Function',
  'CWE-307': 'Improper Restriction of Excessive Authentication Attempts',
  'CWE-359': 'Exposure of Private Personal Information to an Unauthorized Actor',
  'CWE-425': "Direct Request ('Forced Browsing')",
  'CWE-521': 'Weak Password Requirements',
  'CWE-639': 'Authorization Bypass Through User-Controlled Key',
  'CWE-778': 'Insufficient Logging',
  'CWE-1188': 'Initialization of a Resource with an Insecure Default',
  'CWE-1393': 'Use of Default Password',
};

const attack: Record<string, string> = {
  T1046: 'Network Service Discovery',
  T1078: 'Valid Accounts',
  T1110: 'Brute Force',
  'T1110.001': 'Brute Force: Password Guessing',
  'T1110.002': 'Brute Force: Password Cracking',
  T1190: 'Exploit Public-Facing Application',
  T1485: 'Data Destruction',
  T1530: 'Data from Cloud Storage',
  T1595: 'Active Scanning',
  'T1595.001': 'Active Scanning: Scanning IP Blocks',
  T1596: 'Search Open Technical Databases',
  'T1596.005': 'Search Open Technical Databases: Scan Databases',
  T1657: 'Financial Theft',
};

function attackUrl(id: string): string {
  const [technique, sub] = id.split('.');
  return sub ? `https://attack.mitre.org/techniques/${technique}/${sub}/` : `https://attack.mitre.org/techniques/${technique}/`;
}

function cweUrl(id: string): string {
  return `https://cwe.mitre.org/data/definitions/${id.slice(4)}.html`;
}

export const FAMILY_LABELS: Record<StandardFamilyKey, string> = {
  owaspIot2018: 'OWASP IoT Top 10 (2018)',
  etsi303645: 'ETSI EN 303 645',
  cwe: 'CWE',
  attack: 'MITRE ATT&CK',
};

const FAMILY_URLS: Record<StandardFamilyKey, (id: string) => string> = {
  owaspIot2018: () => OWASP_IOT_2018_URL,
  etsi303645: () => ETSI_303645_URL,
  cwe: cweUrl,
  attack: attackUrl,
};

const NAMES: Record<StandardFamilyKey, Record<string, string>> = { owaspIot2018: owasp, etsi303645: etsi, cwe, attack };

/** The whole catalogue, one entry per id. */
export const STANDARDS_CATALOG: readonly CatalogEntry[] = (Object.keys(NAMES) as StandardFamilyKey[]).flatMap((family) =>
  Object.entries(NAMES[family]).map(([id, name]) => ({ family, id, name, url: FAMILY_URLS[family](id) })),
);

/** Which family an id belongs to, from its shape alone: the shapes do not overlap. */
export function familyOf(id: string): StandardFamilyKey | undefined {
  if (/^I(10|[1-9])$/.test(id)) return 'owaspIot2018';
  if (/^\d+\.\d+(-\d+)?$/.test(id)) return 'etsi303645';
  if (/^CWE-\d+$/.test(id)) return 'cwe';
  if (/^T\d{4}(\.\d{3})?$/.test(id)) return 'attack';
  return undefined;
}

/** The catalogue entry for an id, or undefined when the course has not catalogued it. */
export function lookupStandard(id: string): CatalogEntry | undefined {
  const family = familyOf(id);
  if (!family) return undefined;
  const name = NAMES[family][id];
  return name === undefined ? undefined : { family, id, name, url: FAMILY_URLS[family](id) };
}

export function standardFamilies(standards: LessonStandards): StandardFamily[] {
  const families = (Object.keys(FAMILY_LABELS) as StandardFamilyKey[]).map((key) => ({
    key,
    label: FAMILY_LABELS[key],
    // An id not in the catalogue still shows, with its family's link; the lesson test is
    // what keeps uncatalogued ids out of the course.
    refs: standards[key].map((id) => ({ id, name: NAMES[key][id], url: FAMILY_URLS[key](id) })),
  }));
  return families.filter((family) => family.refs.length > 0);
}
