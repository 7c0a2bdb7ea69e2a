/**
 * The simulated lab network: which names and addresses exist and which service ports they
 * offer. Addresses come from the documentation ranges of RFC 5737 so nothing real is ever
 * addressed: TEST-NET-3 (203.0.113.0/24) for CloudPets' servers, TEST-NET-2 for the learner.
 */

export type ServiceName = 'database' | 'bucket' | 'api';

export interface SimulatedHost {
  name: string;
  address: string;
  service: ServiceName;
  /** The port the service is known on in the story (mongod.conf may move the database). */
  defaultPort: number;
}

export const DB_HOST: SimulatedHost = { name: 'db.cloudpets.test', address: '203.0.113.10', service: 'database', defaultPort: 27017 };
export const BUCKET_HOST: SimulatedHost = { name: 'bucket.cloudpets.test', address: '203.0.113.20', service: 'bucket', defaultPort: 80 };
export const API_HOST: SimulatedHost = { name: 'api.cloudpets.test', address: '203.0.113.30', service: 'api', defaultPort: 80 };

export const SIMULATED_HOSTS: readonly SimulatedHost[] = [DB_HOST, BUCKET_HOST, API_HOST];

/** How the learner's shell ("the internet") appears to the services. */
export const LEARNER_ADDRESS = '198.51.100.23';
/**
 * Another host on the internet (TEST-NET-1): the lab's scripted attackers connect from here,
 * so a learner reading the database log can tell the thief's connections from their own.
 */
export const STRANGER_ADDRESS = '192.0.2.146';
/**
 * A parent's home network (TEST-NET-2): the checks log in as the real parent from here while
 * an attacker hammers the same account from LEARNER_ADDRESS, so a login throttle keyed on the
 * account and the source address can be told from one that locks the parent out.
 */
export const PARENT_HOME_ADDRESS = '198.51.100.77';
/** How the app API appears to the database: in the story it runs on the database host. */
export const APP_LOCAL_ADDRESS = '127.0.0.1';

/** Names a process uses for "this machine". */
export const LOCALHOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1', '[::1]'];

export function findSimulatedHost(nameOrAddress: string): SimulatedHost | undefined {
  const wanted = nameOrAddress.toLowerCase().replace(/\.$/, '');
  return SIMULATED_HOSTS.find((host) => host.name === wanted || host.address === wanted);
}
