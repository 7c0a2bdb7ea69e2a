import type { RoleRef } from './auth/roles.ts';
import type { ScramConversation } from './auth/scram.ts';

export interface AuthenticatedUser {
  user: string;
  db: string;
  roles: RoleRef[];
}

/**
 * Everything that belongs to one TCP connection. Authentication is per connection, as in
 * mongod: every pooled socket of a driver authenticates itself.
 */
export class ConnectionState {
  user: AuthenticatedUser | undefined;
  readonly conversations = new Map<number, ScramConversation>();
  clientMetadata: unknown;
  metadataLogged = false;

  constructor(
    readonly id: number,
    /** The address the client stands for: the simulated peer, or the real remote address. */
    readonly peerAddress: string,
    readonly peerPort: number,
    /** The local address of the listener (what the client connected to). */
    readonly localAddress: string,
  ) {}

  get remote(): string {
    return formatHostPort(this.peerAddress, this.peerPort);
  }

  /** mongod's localhost exception looks at where the client really comes from. */
  get isLocalhost(): boolean {
    return this.peerAddress === '127.0.0.1' || this.peerAddress === '::1' || this.peerAddress === '::ffff:127.0.0.1' || this.peerAddress.startsWith('127.');
  }
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
