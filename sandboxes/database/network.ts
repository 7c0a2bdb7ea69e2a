/**
 * How the database meets the lab network (docs/architecture.md, "The lab network"). The world
 * passes a simulated network; without one the server listens on loopback only and peers are
 * their real addresses.
 */
export interface ListenTarget {
  host: string;
  port: number;
  /** The address every client of this listener stands for (logs, connectionStatus, localhost exception). */
  peerAddress?: string;
}

export interface DatabaseNetwork {
  /** Expand net.bindIp / bindIpAll into the simulated interfaces to serve. */
  interfaces(bindIp: string[], bindIpAll: boolean): string[];
  /**
   * Where to really listen for one interface and port. Several targets serve one interface
   * reached from several places (the learner and another host on the internet): each real
   * listener stands for one peer address, since all real connections come from loopback.
   */
  listen(address: string, port: number): ListenTarget | ListenTarget[];
}

/** Loopback only: whatever bindIp says, nothing listens beyond 127.0.0.1. */
export const loopbackNetwork: DatabaseNetwork = {
  interfaces: () => ['127.0.0.1'],
  listen: (_address, port) => ({ host: '127.0.0.1', port }),
};
