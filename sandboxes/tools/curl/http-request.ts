/**
 * One HTTP exchange with a lab host: the URL's host:port goes through the lab network map to
 * its loopback listener, while the Host header keeps the simulated name, exactly as a real
 * request to that name would carry it.
 */
import { request } from 'node:http';
import { LabNetworkError, resolveLabEndpoint, type NetworkMap } from '../lab-connection/lab-endpoint.ts';
import { CURL_EXIT, CurlError } from './curl-exit-codes.ts';

export interface HttpExchange {
  url: URL;
  statusCode: number;
  statusMessage: string;
  httpVersion: string;
  /** Raw header pairs in arrival order, as curl -i shows them. */
  rawHeaders: string[];
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** What was sent and where, for -v: the simulated address, never the loopback port. */
  request: { method: string; path: string; headers: Record<string, string>; address: string; port: number };
}

export interface RequestOptions {
  method: string;
  headers: [string, string][];
  body?: Buffer;
  timeoutMs: number;
}

export function defaultPort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

export async function httpExchange(map: NetworkMap, url: URL, options: RequestOptions): Promise<HttpExchange> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CurlError(CURL_EXIT.unsupportedProtocol, `Protocol "${url.protocol.replace(/:$/, '')}" not supported`);
  }
  const port = defaultPort(url);
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let endpoint;
  try {
    endpoint = resolveLabEndpoint(map, hostname, port);
  } catch (error) {
    if (error instanceof LabNetworkError && error.kind === 'unknown-host') {
      throw new CurlError(CURL_EXIT.couldNotResolveHost, `Could not resolve host: ${hostname}`);
    }
    if (error instanceof LabNetworkError) {
      throw new CurlError(CURL_EXIT.couldNotConnect, `Failed to connect to ${hostname} port ${port}: Couldn't connect to server (${error.message})`);
    }
    throw error;
  }
  if (url.protocol === 'https:') {
    // The lab's hosts speak plain HTTP only; a TLS handshake against them could never succeed.
    throw new CurlError(35, `TLS connect error: ${hostname} port ${port} does not speak TLS in the lab (use http://)`);
  }

  const headers: Record<string, string> = {};
  const hasHeader = (name: string) => options.headers.some(([n]) => n.toLowerCase() === name);
  headers['Host'] = url.port ? `${hostname}:${url.port}` : hostname;
  headers['User-Agent'] = 'curl/8.5.0 (cloudpets-lab)';
  headers['Accept'] = '*/*';
  for (const [name, value] of options.headers) {
    // `-H 'Name:'` removes a default header, as in curl.
    const existing = Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase());
    if (existing) delete headers[existing];
    if (value !== '') headers[name] = value;
  }
  if (options.body && !hasHeader('content-type')) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  if (options.body) headers['Content-Length'] = String(options.body.length);

  return await new Promise<HttpExchange>((resolvePromise, reject) => {
    const req = request(
      { host: endpoint.host, port: endpoint.port, method: options.method, path: `${url.pathname}${url.search}`, headers, timeout: options.timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => reject(new CurlError(CURL_EXIT.receiveError, `Failure when receiving data from the peer: ${error.message}`)));
        res.on('end', () =>
          resolvePromise({
            url,
            statusCode: res.statusCode ?? 0,
            statusMessage: res.statusMessage ?? '',
            httpVersion: res.httpVersion,
            rawHeaders: res.rawHeaders,
            headers: res.headers,
            body: Buffer.concat(chunks),
            request: { method: options.method, path: `${url.pathname}${url.search}`, headers, address: endpoint.address, port },
          }),
        );
      },
    );
    req.on('timeout', () => {
      req.destroy();
      reject(new CurlError(CURL_EXIT.timeout, `Operation timed out after ${options.timeoutMs} milliseconds`));
    });
    req.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ECONNREFUSED') {
        reject(new CurlError(CURL_EXIT.couldNotConnect, `Failed to connect to ${hostname} port ${port}: Couldn't connect to server`));
      } else if (error.code === 'ECONNRESET' && /socket hang up/.test(error.message)) {
        reject(new CurlError(CURL_EXIT.emptyReply, 'Empty reply from server'));
      } else {
        reject(new CurlError(CURL_EXIT.receiveError, `Failure when receiving data from the peer: ${error.message}`));
      }
    });
    req.end(options.body);
  });
}
