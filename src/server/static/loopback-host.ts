/**
 * DNS rebinding defence. The server only listens on loopback, but a web page elsewhere can
 * point its own domain at 127.0.0.1 and then read our responses as same-origin. Such requests
 * still carry the attacker's name in the Host header, so anything but a loopback name is
 * refused.
 */
const loopbackNames = new Set(['localhost', '127.0.0.1', '[::1]']);

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
  if (name === undefined) return false;
  // `*.localhost` always resolves to loopback (RFC 6761) and cannot be rebound.
  return loopbackNames.has(name) || name.endsWith('.localhost');
}
