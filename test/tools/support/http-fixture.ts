/** A tiny HTTP server on 127.0.0.1, port 0, standing in for a lab host in curl and scan tests. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpFixture {
  port: number;
  requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}

export async function startHttpFixture(): Promise<HttpFixture> {
  const requests: HttpFixture['requests'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.setHeader('Server', 'AmazonS3');
      if (req.url === '/') {
        res.setHeader('Content-Type', 'text/html');
        res.end('<html><head><title>CloudPets test page</title></head><body>hi</body></html>');
      } else if (req.url === '/recordings/hello.wav') {
        res.setHeader('Content-Type', 'audio/wav');
        res.end(Buffer.from([0x52, 0x49, 0x46, 0x46, 0x00, 0xff, 0x10, 0x80]));
      } else if (req.url === '/secret') {
        res.statusCode = 403;
        res.setHeader('Content-Type', 'application/xml');
        res.end('<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
      } else if (req.url === '/moved') {
        res.statusCode = 302;
        res.setHeader('Location', '/recordings/hello.wav');
        res.end();
      } else if (req.url === '/echo') {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ method: req.method, host: req.headers.host, auth: req.headers.authorization ?? null, body: Buffer.concat(chunks).toString() }));
      } else {
        res.statusCode = 404;
        res.end('not found');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
