/**
 * Who may open a lab. The local runner gives whoever connects a shell on the learner's
 * machine, so a request must prove it comes from a page this server served:
 *  - Host is a loopback name with our port (a DNS-rebinding page has its own name in Host),
 *  - Origin is exactly this site's origin (another web site's page cannot pass),
 *  - the per-start secret token that only our served HTML carries.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isLoopbackName } from '../static/loopback-host.ts';


export interface GuardVerdict {
  ok: boolean;
  /** Why a request was refused (logged; the client only gets a 403). */
  reason?: string;
}

/** Splits a Host header into name and port; undefined when it is not `name:port`. */
function parseHost(host: string): { name: string; port: number } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+):(\d{1,5})$/i.exec(host.trim());
  if (!match) return undefined;
  return { name: match[1]!.toLowerCase(), port: Number(match[2]) };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function checkLabRequest(request: IncomingMessage, token: string, url: URL): GuardVerdict {
  const localPort = request.socket.localPort;
  const hostHeader = request.headers.host ?? '';
  const host = parseHost(hostHeader);
  if (!host || !isLoopbackName(host.name) || host.port !== localPort) {
    return { ok: false, reason: `Host "${hostHeader}" is not this server's loopback address` };
  }
  const origin = request.headers.origin;
  if (origin !== `http://${host.name}:${host.port}`) {
    return { ok: false, reason: `Origin "${origin ?? '(none)'}" is not this site (http://${host.name}:${host.port})` };
  }
  const given = url.searchParams.get('token') ?? '';
  if (!given || !sameSecret(given, token)) {
    return { ok: false, reason: given ? 'wrong token' : 'missing token' };
  }
  return { ok: true };
}
