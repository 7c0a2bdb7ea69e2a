/**
 * HTTP probes for the bucket and the API, sent from "the internet" (the learner's vantage
 * point) through the lab network map: a URL names a simulated host, the request goes to the
 * real loopback listener behind it with the original Host header, as a browser would send it.
 */
import { request as httpRequest } from 'node:http';
import { resolve, type NetworkMap } from '../../world/network/resolve.ts';

export interface HttpProbe {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
  /**
   * Where the request comes from: the internet at the learner's address (default), or a
   * parent's home network (api.cloudpets.test only), so the API sees two different clients.
   */
  from?: 'internet' | 'parent-home';
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  /** parsed JSON body, or undefined */
  json: unknown;
}

export class HttpUnreachable extends Error {
  override name = 'HttpUnreachable';
}

export async function httpProbe(map: NetworkMap, probe: HttpProbe): Promise<HttpResult> {
  let url: URL;
  try {
    url = new URL(probe.url);
  } catch {
    throw new HttpUnreachable(`"${probe.url}" is not a URL`);
  }
  if (url.protocol !== 'http:') throw new HttpUnreachable(`${url.protocol} URLs are not served on the lab network (use http://)`);
  const port = Number(url.port || 80);
  let endpoint;
  try {
    endpoint = resolve(url.hostname, port, { map, from: 'learner' });
  } catch (error) {
    throw new HttpUnreachable(`${url.host}: ${(error as Error).message}`);
  }
  if (probe.from === 'parent-home') {
    const home = endpoint.name === 'api.cloudpets.test' ? map.parentHome?.[String(port)] : undefined;
    if (!home) throw new HttpUnreachable(`${url.host}: no route from a parent's home network in this world`);
    endpoint = { ...endpoint, ...home };
  }
  const body = probe.body === undefined ? undefined : Buffer.isBuffer(probe.body) ? probe.body : Buffer.from(probe.body);
  return new Promise<HttpResult>((done, fail) => {
    const req = httpRequest(
      {
        host: endpoint.host,
        port: endpoint.port,
        method: probe.method ?? 'GET',
        path: `${url.pathname}${url.search}`,
        headers: { host: url.host, ...(body ? { 'content-length': String(body.length) } : {}), ...probe.headers },
        timeout: probe.timeoutMs ?? 5000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const buffer = Buffer.concat(chunks);
          const text = buffer.toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          done({ status: res.statusCode ?? 0, headers: res.headers, body: buffer, text, json });
        });
        res.on('error', fail);
      },
    );
    req.on('timeout', () => req.destroy(new HttpUnreachable(`${url.host} did not answer within ${(probe.timeoutMs ?? 5000) / 1000} s`)));
    req.on('error', (error) => fail(error instanceof HttpUnreachable ? error : new HttpUnreachable(`${url.host}: ${error.message}`)));
    if (body) req.write(body);
    req.end();
  });
}

/** An S3 error document's <Code> and <Message>, for reason lines. */
export function s3Error(text: string): { code?: string; message?: string } {
  return { code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1], message: /<Message>([^<]*)<\/Message>/.exec(text)?.[1] };
}
