/**
 * DNS rebinding defence. The server only listens on loopback, but a web page elsewhere can
 * point its own domain at 127.0.0.1 and then read our responses as same-origin. Such requests
 * still carry the attacker's name in the Host header, so anything but a loopback name is
 * refused.
 */
const loopbackNames = new Set(['localhost', '[::1]', '::1']);

/**
 * A name or address that always means this machine: localhost and `*.localhost` (RFC 6761;
 * they cannot be rebound), ::1, and the whole 127.0.0.0/8 block. The one definition the
 * site server, the local runner and `npm start`'s HOST setting share.
 */
export function isLoopbackName(name: string): boolean {
  const lower = name.toLowerCase();
  return loopbackNames.has(lower) || lower.endsWith('.localhost') || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(lower);
}

/** The host name without the port, lower-cased; undefined for a missing or malformed header. */
export function hostName(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  const host = hostHeader.trim().toLowerCase();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? undefined : host.slice(0, end + 1);
  }
  const [name, port, ...rest] = host.split(':');
  if (rest.length > 0 || (port !== undefined && !/^\d{1,5}$/.test(port))) return undefined;
  return name;
}

export function isLoopbackHost(hostHeader: string | undefined): boolean {
  const name = hostName(hostHeader);
  return name !== undefined && isLoopbackName(name);
}
