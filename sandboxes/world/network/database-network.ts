/**
 * The DatabaseNetwork the world hands to startDatabase (contract in docs/architecture.md):
 * it turns mongod.conf's net.bindIp / bindIpAll into the database host's simulated
 * interfaces, has each one really listen on a free loopback port, and remembers which
 * simulated address and port each real listener stands for so the world can publish them
 * in network.json.
 */
import { APP_LOCAL_ADDRESS, DB_HOST, LEARNER_ADDRESS, STRANGER_ADDRESS } from './hosts.ts';
import type { NetworkMap } from './network-map.ts';
import type { DatabaseNetwork, ListenTarget, Listener } from '../../database/index.ts';

export class BindIpError extends Error {
  override name = 'BindIpError';
}

const WILDCARDS = new Set(['0.0.0.0', '::', '*']);
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
const PUBLIC = new Set([DB_HOST.address, DB_HOST.name]);

export class SimulatedDatabaseNetwork implements DatabaseNetwork {
  /** simulated address -> the configured (simulated) port it was asked to listen on */
  readonly requested = new Map<string, number>();

  /** @param strangerAddress the other internet host (the scripted thief): varies per learner seed. */
  constructor(readonly strangerAddress: string = STRANGER_ADDRESS) {}

  interfaces(bindIp: string[], bindIpAll: boolean): string[] {
    const chosen = new Set<string>();
    if (bindIpAll) {
      chosen.add(APP_LOCAL_ADDRESS).add(DB_HOST.address);
    }
    for (const raw of bindIp) {
      const entry = raw.trim().toLowerCase();
      if (entry === '') continue;
      if (WILDCARDS.has(entry)) chosen.add(APP_LOCAL_ADDRESS).add(DB_HOST.address);
      else if (LOOPBACK.has(entry)) chosen.add(APP_LOCAL_ADDRESS);
      else if (PUBLIC.has(entry)) chosen.add(DB_HOST.address);
      else {
        // A real mongod refuses to start when told to bind an address the machine does not have.
        throw new BindIpError(
          `net.bindIp: cannot bind ${raw}: db.cloudpets.test has no such interface ` +
            `(its addresses are 127.0.0.1 and ${DB_HOST.address}; 0.0.0.0 means all of them)`,
        );
      }
    }
    return [...chosen];
  }

  listen(address: string, port: number): ListenTarget[] {
    this.requested.set(address, port);
    // On loopback the peers are the app. The public interface is reached from the internet:
    // by the learner, and by another host the labs' scripted attacks come from.
    if (address === APP_LOCAL_ADDRESS) return [{ host: '127.0.0.1', port: 0, peerAddress: APP_LOCAL_ADDRESS }];
    return [
      { host: '127.0.0.1', port: 0, peerAddress: LEARNER_ADDRESS },
      { host: '127.0.0.1', port: 0, peerAddress: this.strangerAddress },
    ];
  }

  /** Put the database's real listeners into the map under the ports mongod.conf asked for. */
  publish(map: NetworkMap, listeners: Listener[]): void {
    for (const listener of listeners) {
      const simulatedPort = this.requested.get(listener.address);
      if (simulatedPort === undefined) continue;
      const endpoint = { host: listener.host, port: listener.port };
      if (listener.address === APP_LOCAL_ADDRESS) {
        map.appLocal[String(simulatedPort)] = endpoint;
      } else if (listener.peerAddress === this.strangerAddress) {
        (map.stranger ??= {})[String(simulatedPort)] = endpoint;
      } else {
        const host = (map.hosts[DB_HOST.name] ??= { address: DB_HOST.address, ports: {} });
        host.ports[String(simulatedPort)] = endpoint;
      }
    }
  }
}
