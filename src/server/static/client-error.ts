import type { Duplex } from 'node:stream';
import { securityHeaders } from '../security-headers';

/**
 * Requests Node's HTTP parser refuses before our handler sees them (a malformed request line,
 * headers over the size limit) are answered by Node itself, without the course's security
 * headers. This answers them instead, with the headers, the usual status (431 for oversized
 * headers, 400 otherwise) and a sentence saying what was wrong, then closes the connection.
 */
const headerLines = Object.entries(securityHeaders('production'))
  .map(([name, value]) => `${name}: ${value}\r\n`)
  .join('');

export function answerClientError(error: NodeJS.ErrnoException & { bytesParsed?: number }, socket: Duplex): void {
  if (!socket.writable || (error.code === 'ECONNRESET' && socket.destroyed)) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
  const text = tooLarge ? 'Request headers too large.\n' : 'Malformed HTTP request.\n';
  socket.end(
    `HTTP/1.1 ${status}\r\n${headerLines}Content-Type: text/plain; charset=utf-8\r\nCache-Control: no-store\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}
