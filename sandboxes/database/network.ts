/**
 * How the database meets the lab network (docs/architecture.md, "The lab network"). The world
 * passes a simulated network; without one the server listens on loopback only and peers are
 * their real addresses.
 */
export interface DatabaseNetwork {
  /** Expand net.bindIp / bindIpAll into the simulated interfaces to serve. */
  interfaces(bindIp: string[], bindIpAll: boolean): string[];
  /** Where to really listen for one interface and port, and the peer address its clients stand for. */
  listen(address: string, port: number): { host: string; port: number; peerAddress?: string };
}

/** Loopback only: whatever bindIp says, nothing listens beyond 127.0.0.1. */
export const loopbackNetwork: DatabaseNetwork = {
  interfaces: () => ['127.0.0.1'],
  listen: (_address, port) => ({ host: '127.0.0.1', port }),
};
