/**
 * Who may open a lab. The local runner gives whoever connects a shell on the learner's
 * machine, so a request must prove it comes from a page this server served:
 *  - Host is a loopback name with our port (a DNS-rebinding page has its own name in Host),
 *  - Origin is exactly this site's origin (another web site's page cannot pass),
 *  - the learner's secret: the HttpOnly access cookie the site server set when the learner
 *    opened the address `npm start` printed (or the secret itself as `?token=`). No page
 *    carries the secret, so another account on the machine cannot read it from one.
 */
import type { IncomingMessage } from 'node:http';
import { checkAccess } from '../static/access-gate.ts';
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
  const access = checkAccess(request, url, token);
  return access.ok ? { ok: true } : { ok: false, reason: access.reason };
}
