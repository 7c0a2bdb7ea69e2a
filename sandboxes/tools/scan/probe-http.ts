/** The HTTP banner: status line, Server header, page title, and a public S3 listing if there is one. */
import { request } from 'node:http';
import type { Resolved } from '../lab-connection/lab-endpoint.ts';

export interface HttpBanner {
  service: 'http';
  status: string;
  server?: string;
  contentType?: string;
  title?: string;
  /** GET / answered with an S3 ListBucketResult: anyone may list the bucket. */
  bucketListing?: { name?: string; keys: number };
  /** An S3-style XML error's <Code>, e.g. AccessDenied: the host speaks the S3 API. */
  s3Error?: string;
  /** The first characters of the body, as Shodan shows them. */
  bodyStart?: string;
}

export function probeHttp(endpoint: Resolved, hostHeader: string, timeoutMs: number): Promise<HttpBanner | undefined> {
  return new Promise((resolvePromise) => {
    const req = request(
      { host: endpoint.host, port: endpoint.port, method: 'GET', path: '/', headers: { Host: hostHeader, 'User-Agent': 'scan (cloudpets lab)' }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          // A banner needs the start of the page only.
          if (size < 65536) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const banner: HttpBanner = {
            service: 'http',
            status: `HTTP/${res.httpVersion} ${res.statusCode} ${res.statusMessage ?? ''}`.trim(),
            server: res.headers.server?.toString(),
            contentType: res.headers['content-type']?.toString(),
          };
          const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
          if (title) banner.title = title;
          const s3Error = /<Error>\s*<Code>([^<]+)<\/Code>/.exec(body)?.[1];
          if (s3Error) banner.s3Error = s3Error;
          const start = body.replace(/^<\?xml[^>]*\?>/, '').replace(/\s+/g, ' ').trim().slice(0, 100);
          if (start) banner.bodyStart = start;
          if (/<ListBucketResult/.test(body)) {
            banner.bucketListing = { name: /<Name>([^<]*)<\/Name>/.exec(body)?.[1], keys: (body.match(/<Key>/g) ?? []).length };
          }
          resolvePromise(banner);
        });
        res.on('error', () => resolvePromise(undefined));
      },
    );
    req.on('timeout', () => {
      req.destroy();
      resolvePromise(undefined);
    });
    req.on('error', () => resolvePromise(undefined));
    req.end();
  });
}
