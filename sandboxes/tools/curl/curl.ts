/**
 * `curl` for the lab shell (WebContainer has none): the subset the course uses, with curl's
 * flags, messages ("curl: (6) Could not resolve host: ...") and exit codes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { loadLabNetwork, LabNetworkError } from '../lab-connection/lab-endpoint.ts';
import type { ToolIO } from '../program/tool-io.ts';
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { flag, stringList, stringOption, UsageError, openCommandLine } from '../../command-line/arguments.ts';
import { CURL_EXIT, CurlError } from './curl-exit-codes.ts';
import { httpExchange, type HttpExchange } from './http-request.ts';

export const CURL_HELP = `Usage: curl [options] <url>
Transfer a URL on the lab network (a subset of curl; names like bucket.cloudpets.test
resolve through the lab network map, nothing leaves this machine).

Options:
  -o, --output <file>      write the body to <file> instead of stdout
  -O, --remote-name        write the body to a file named like the URL's last path part
  -I, --head               send HEAD and print only the response headers
  -i, --include            print the response headers before the body
  -H, --header <h>         add a request header, e.g. -H 'Authorization: Bearer x' (repeatable;
                           'Name:' removes a default header)
  -X, --request <method>   request method (default GET, or POST with -d)
  -d, --data <data>        send <data> as the request body (POST); @file reads it from a file
  -v, --verbose            show the connection, the request and the response headers on stderr
  -s, --silent             no error messages
  -S, --show-error         with -s, still show errors
  -f, --fail               fail with exit code 22 on HTTP responses >= 400, print no body
  -L, --location           follow redirects (up to 50)
  -m, --max-time <secs>    give up after this many seconds (default 30)
  -w, --write-out <fmt>    after the transfer print <fmt>; supports %{http_code}, %{content_type},
                           %{size_download}, %{url_effective} and \\n
  -h, --help               this help

Exit codes (as curl's):
  0 success    1 unsupported protocol   2 bad command line   3 malformed URL
  6 could not resolve host   7 failed to connect (port closed)   22 HTTP error with -f
  23 could not write the output file   28 timed out   47 too many redirects
  52 empty reply   56 failure receiving data`;

export async function curlMain(argv: string[], io: ToolIO): Promise<number> {
  const parsed = openCommandLine({ name: 'curl', help: CURL_HELP, usageExit: CURL_EXIT.usage, io }, argv, {
    output: { type: 'string', short: 'o' },
    'remote-name': { type: 'boolean', short: 'O' },
    head: { type: 'boolean', short: 'I' },
    include: { type: 'boolean', short: 'i' },
    header: { type: 'string', short: 'H', multiple: true },
    request: { type: 'string', short: 'X' },
    data: { type: 'string', short: 'd', multiple: true },
    silent: { type: 'boolean', short: 's' },
    verbose: { type: 'boolean', short: 'v' },
    'show-error': { type: 'boolean', short: 'S' },
    fail: { type: 'boolean', short: 'f' },
    location: { type: 'boolean', short: 'L' },
    'max-time': { type: 'string', short: 'm' },
    'write-out': { type: 'string', short: 'w' },
    help: { type: 'boolean', short: 'h' },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const silent = flag(values, 'silent') && !flag(values, 'show-error');
  const fail = (error: CurlError): number => {
    if (!silent) io.stderr.write(`curl: (${error.exitCode}) ${error.message}\n`);
    return error.exitCode;
  };

  if (positionals.length === 0) {
    io.stderr.write(`curl: no URL specified\nTry 'curl --help' for the list of options.\n`);
    return CURL_EXIT.usage;
  }
  if (positionals.length > 1) {
    io.stderr.write(`curl: this curl takes one URL, got ${positionals.length}: ${positionals.join(' ')}\n`);
    return CURL_EXIT.usage;
  }
  let url: URL;
  try {
    const text = positionals[0]!;
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    return fail(new CurlError(CURL_EXIT.malformedUrl, `URL rejected: Malformed input to a URL function: ${positionals[0]}`));
  }

  const headers: [string, string][] = [];
  for (const header of stringList(values, 'header')) {
    const colon = header.indexOf(':');
    if (colon <= 0) {
      io.stderr.write(`curl: header '${header}' must look like 'Name: value'\n`);
      return CURL_EXIT.usage;
    }
    const [name, value] = [header.slice(0, colon).trim(), header.slice(colon + 1).trim()];
    // Node's own header rules, checked here so a pasted value with a line break (a token copied
    // with its newline, say) gets a clear message instead of failing inside the HTTP client.
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch {
      const what = /[\r\n]/.test(header) ? 'contains a line break; give each header its own -H' : 'has a character a header cannot carry';
      io.stderr.write(`curl: header '${header.replace(/[\r\n]+/g, '⏎')}' ${what}\n`);
      return CURL_EXIT.usage;
    }
    headers.push([name, value]);
  }
  let body: Buffer | undefined;
  const data = stringList(values, 'data');
  if (data.length) {
    try {
      body = Buffer.from(data.map((part) => (part.startsWith('@') ? readDataFile(io, part.slice(1)) : part)).join('&'));
    } catch (error) {
      io.stderr.write(`curl: ${(error as Error).message}\n`);
      return CURL_EXIT.usage;
    }
  }
  const head = flag(values, 'head');
  const method = stringOption(values, 'request')?.toUpperCase() ?? (head ? 'HEAD' : body ? 'POST' : 'GET');
  const maxTime = stringOption(values, 'max-time');
  if (maxTime !== undefined && !(Number(maxTime) > 0)) {
    io.stderr.write(`curl: --max-time needs a positive number of seconds, got '${maxTime}'\n`);
    return CURL_EXIT.usage;
  }
  const timeoutMs = maxTime ? Number(maxTime) * 1000 : 30_000;

  let outputPath = stringOption(values, 'output');
  if (flag(values, 'remote-name')) {
    const name = decodeURIComponent(url.pathname.split('/').pop() ?? '');
    if (!name) return fail(new CurlError(CURL_EXIT.writeError, 'Remote file name has no length'));
    outputPath = name;
  }

  let map;
  try {
    map = loadLabNetwork(io);
  } catch (error) {
    io.stderr.write(`curl: ${(error as LabNetworkError).message}\n`);
    return CURL_EXIT.couldNotResolveHost;
  }

  let exchange: HttpExchange;
  try {
    exchange = await httpExchange(map, url, { method, headers, body, timeoutMs });
    let redirects = 0;
    while (flag(values, 'location') && exchange.statusCode >= 300 && exchange.statusCode < 400 && exchange.headers.location) {
      if (++redirects > 50) throw new CurlError(CURL_EXIT.tooManyRedirects, 'Maximum (50) redirects followed');
      const next = new URL(String(exchange.headers.location), exchange.url);
      // As curl does: 301/302/303 turn a POST into a GET.
      const keepMethod = exchange.statusCode === 307 || exchange.statusCode === 308;
      exchange = await httpExchange(map, next, {
        method: keepMethod ? method : head ? 'HEAD' : 'GET',
        headers,
        body: keepMethod ? body : undefined,
        timeoutMs,
      });
    }
  } catch (error) {
    if (error instanceof CurlError) return fail(error);
    throw error;
  }

  if (flag(values, 'verbose')) io.stderr.write(formatVerbose(exchange));
  if (flag(values, 'fail') && exchange.statusCode >= 400) {
    return fail(new CurlError(CURL_EXIT.httpError, `The requested URL returned error: ${exchange.statusCode}`));
  }

  const headerBlock = formatHeaders(exchange);
  const parts: (string | Buffer)[] = [];
  if (head) parts.push(headerBlock);
  else {
    if (flag(values, 'include')) parts.push(headerBlock);
    parts.push(exchange.body);
  }
  if (outputPath) {
    const target = resolvePath(io.cwd, outputPath);
    try {
      writeFileSync(target, Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part))));
    } catch (error) {
      return fail(new CurlError(CURL_EXIT.writeError, `Failure writing output to destination: ${outputPath} (${(error as Error).message})`));
    }
  } else {
    for (const part of parts) io.stdout.write(part);
  }
  const writeOut = stringOption(values, 'write-out');
  if (writeOut !== undefined) io.stdout.write(formatWriteOut(writeOut, exchange));
  return CURL_EXIT.ok;
}

function readDataFile(io: ToolIO, path: string): string {
  try {
    return readFileSync(resolvePath(io.cwd, path), 'utf8');
  } catch {
    throw new UsageError(`cannot read data file '${path}'`);
  }
}

function formatHeaders(exchange: HttpExchange): string {
  let text = `HTTP/${exchange.httpVersion} ${exchange.statusCode} ${exchange.statusMessage}\r\n`;
  for (let i = 0; i < exchange.rawHeaders.length; i += 2) text += `${exchange.rawHeaders[i]}: ${exchange.rawHeaders[i + 1]}\r\n`;
  return text + '\r\n';
}

function formatWriteOut(format: string, exchange: HttpExchange): string {
  const variables: Record<string, string> = {
    http_code: String(exchange.statusCode),
    response_code: String(exchange.statusCode),
    content_type: String(exchange.headers['content-type'] ?? ''),
    size_download: String(exchange.body.length),
    url_effective: exchange.url.toString(),
  };
  return format.replace(/%\{([a-z_]+)\}/g, (whole, name: string) => variables[name] ?? whole).replace(/\\n/g, '\n').replace(/\\t/g, '\t');
}

/** curl -v's trace, for the final exchange: * connection, > request, < response. */
function formatVerbose(exchange: HttpExchange): string {
  const { request } = exchange;
  let text = `*   Trying ${request.address}:${request.port}...\n`;
  text += `* Connected to ${exchange.url.hostname} (${request.address}) port ${request.port}\n`;
  text += `> ${request.method} ${request.path} HTTP/1.1\n`;
  for (const [name, value] of Object.entries(request.headers)) text += `> ${name}: ${value}\n`;
  text += '>\n';
  text += `< HTTP/${exchange.httpVersion} ${exchange.statusCode} ${exchange.statusMessage}\n`;
  for (let i = 0; i < exchange.rawHeaders.length; i += 2) text += `< ${exchange.rawHeaders[i]}: ${exchange.rawHeaders[i + 1]}\n`;
  return text + '<\n';
}
