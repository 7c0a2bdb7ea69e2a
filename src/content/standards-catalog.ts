import type { LessonStandards } from './lesson-schema';

/**
 * Human names and reference links for the standard ids lessons cite in frontmatter. The
 * names of the few ids the course uses are spelled out so a learner sees "I9 Insecure default
 * settings", not a bare code; an id not listed here still shows, with its family's link.
 */
export interface StandardRef {
  id: string;
  name: string | undefined;
  url: string;
}

export interface StandardFamily {
  key: keyof LessonStandards;
  label: string;
  refs: StandardRef[];
}

const owaspNames: Record<string, string> = {
  I1: 'Weak, guessable or hardcoded passwords',
  I2: 'Insecure network services',
  I3: 'Insecure ecosystem interfaces',
  I4: 'Lack of secure update mechanism',
  I5: 'Use of insecure or outdated components',
  I6: 'Insufficient privacy protection',
  I7: 'Insecure data transfer and storage',
  I8: 'Lack of device management',
  I9: 'Insecure default settings',
  I10: 'Lack of physical hardening',
};

const etsiNames: Record<string, string> = {
  '5.1': 'No universal default passwords',
  '5.2': 'Implement a means to manage reports of vulnerabilities',
  '5.3': 'Keep software updated',
  '5.4': 'Securely store sensitive security parameters',
  '5.5': 'Communicate securely',
  '5.6': 'Minimise exposed attack surfaces',
  '5.7': 'Ensure software integrity',
  '5.8': 'Ensure that personal data is secure',
  '5.9': 'Make systems resilient to outages',
  '5.10': 'Examine system telemetry data',
  '5.11': 'Make it easy for users to delete user data',
};

const cweNames: Record<string, string> = {
  'CWE-200': 'Exposure of Sensitive Information to an Unauthorized Actor',
  'CWE-284': 'Improper Access Control',
  'CWE-306': 'Missing Authentication for Critical Function',
  'CWE-425': 'Direct Request (Forced Browsing)',
  'CWE-521': 'Weak Password Requirements',
  'CWE-1188': 'Insecure Default Initialization of Resource',
};

const attackNames: Record<string, string> = {
  T1046: 'Network Service Discovery',
  T1078: 'Valid Accounts',
  T1110: 'Brute Force',
  'T1110.002': 'Brute Force: Password Cracking',
  T1190: 'Exploit Public-Facing Application',
  T1485: 'Data Destruction',
  T1530: 'Data from Cloud Storage',
  T1596: 'Search Open Technical Databases',
  'T1596.005': 'Search Open Technical Databases: Scan Databases',
  T1657: 'Financial Theft',
};

function attackUrl(id: string): string {
  const [technique, sub] = id.split('.');
  return sub ? `https://attack.mitre.org/techniques/${technique}/${sub}/` : `https://attack.mitre.org/techniques/${technique}/`;
}

export function standardFamilies(standards: LessonStandards): StandardFamily[] {
  const families: StandardFamily[] = [
    {
      key: 'owaspIot2018',
      label: 'OWASP IoT Top 10 (2018)',
      refs: standards.owaspIot2018.map((id) => ({ id, name: owaspNames[id], url: 'https://owasp.org/www-project-internet-of-things/' })),
    },
    {
      key: 'etsi303645',
      label: 'ETSI EN 303 645',
      refs: standards.etsi303645.map((id) => ({ id, name: etsiNames[id], url: 'https://www.etsi.org/deliver/etsi_en/303600_303699/303645/' })),
    },
    {
      key: 'cwe',
      label: 'CWE',
      refs: standards.cwe.map((id) => ({ id, name: cweNames[id], url: `https://cwe.mitre.org/data/definitions/${id.slice(4)}.html` })),
    },
    {
      key: 'attack',
      label: 'MITRE ATT&CK',
      refs: standards.attack.map((id) => ({ id, name: attackNames[id], url: attackUrl(id) })),
    },
  ];
  return families.filter((family) => family.refs.length > 0);
}
