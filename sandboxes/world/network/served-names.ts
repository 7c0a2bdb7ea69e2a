/**
 * Which Host headers a lab web service answers to: its own name and address on the lab
 * network, and this machine's own names (the tests and the SDK talk to 127.0.0.1:<port>).
 * Anything else is refused. The services listen on loopback only, but a web page on another
 * site can point its own domain at 127.0.0.1 (DNS rebinding) and read the answers as
 * same-origin; such a request still carries the attacker's domain in Host.
 */
import { LOCALHOST_NAMES, type SimulatedHost } from './hosts.ts';

/** The name in a Host header, lower-cased, without port or trailing dot; undefined when malformed. */
export function hostHeaderName(header: string | undefined): string | undefined {
  const host = header?.trim().toLowerCase();
  if (!host) return undefined;
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]/@\s]+)(?::(\d{1,5}))?$/.exec(host);
  return match ? match[1]!.replace(/\.$/, '') : undefined;
}

export function servesHostName(header: string | undefined, service: SimulatedHost, ownName = service.name): boolean {
  const name = hostHeaderName(header);
  if (name === undefined) return false;
  return name === ownName.toLowerCase() || name === service.address || LOCALHOST_NAMES.includes(name);
}
