import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curlMain } from '../../sandboxes/tools/curl/curl.ts';
import { startHttpFixture, type HttpFixture } from './support/http-fixture.ts';
import { tempLab, type TempLab } from './support/tool-harness.ts';

let lab: TempLab;
let http: HttpFixture;

beforeAll(async () => {
  http = await startHttpFixture();
  lab = tempLab();
  lab.writeMap({
    'bucket.cloudpets.test': { address: '203.0.113.20', ports: { '80': { host: '127.0.0.1', port: http.port } } },
    'db.cloudpets.test': { address: '203.0.113.10', ports: {} },
  });
});
afterAll(async () => {
  await http.close();
  lab.cleanup();
});

describe('curl', () => {
  it('prints --help with the exit codes', async () => {
    const run = await lab.run(curlMain, ['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: curl/);
    expect(run.stdout).toMatch(/6 could not resolve host/);
  });

  it('GETs a lab URL through the map, sending the simulated Host header', async () => {
    const run = await lab.run(curlMain, ['-s', 'http://bucket.cloudpets.test/echo', '-H', 'Authorization: Bearer abc']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ method: 'GET', host: 'bucket.cloudpets.test', auth: 'Bearer abc', body: '' });
  });

  it('resolves the simulated address too', async () => {
    const run = await lab.run(curlMain, ['-s', 'http://203.0.113.20/']);
    expect(run.stdout).toContain('CloudPets test page');
  });

  it('saves a binary body byte for byte with -o and with -O', async () => {
    const run = await lab.run(curlMain, ['-s', '-o', 'saved.wav', 'http://bucket.cloudpets.test/recordings/hello.wav']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect([...readFileSync(join(lab.dir, 'saved.wav'))]).toEqual([0x52, 0x49, 0x46, 0x46, 0x00, 0xff, 0x10, 0x80]);
    const remote = await lab.run(curlMain, ['-sO', 'http://bucket.cloudpets.test/recordings/hello.wav']);
    expect(remote.code).toBe(0);
    expect(existsSync(join(lab.dir, 'hello.wav'))).toBe(true);
  });

  it('sends HEAD with -I and prints only the headers', async () => {
    const before = http.requests.length;
    const run = await lab.run(curlMain, ['-I', 'http://bucket.cloudpets.test/secret']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    expect(run.stdout).toMatch(/Server: AmazonS3/);
    expect(run.stdout).not.toContain('AccessDenied');
    expect(http.requests[before]!.method).toBe('HEAD');
  });

  it('returns 22 with -f on an HTTP error and prints no body', async () => {
    const run = await lab.run(curlMain, ['-f', 'http://bucket.cloudpets.test/secret']);
    expect(run.code).toBe(22);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('curl: (22) The requested URL returned error: 403\n');
    const plain = await lab.run(curlMain, ['http://bucket.cloudpets.test/secret']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('<Code>AccessDenied</Code>');
  });

  it('follows redirects with -L only', async () => {
    const noFollow = await lab.run(curlMain, ['-s', '-w', '%{http_code}', 'http://bucket.cloudpets.test/moved']);
    expect(noFollow.stdout).toBe('302');
    const follow = await lab.run(curlMain, ['-sL', '-o', 'followed.wav', 'http://bucket.cloudpets.test/moved']);
    expect(follow.code).toBe(0);
    expect(readFileSync(join(lab.dir, 'followed.wav')).length).toBe(8);
  });

  it('traces the exchange with -v, showing the simulated address only', async () => {
    const run = await lab.run(curlMain, ['-sv', 'http://bucket.cloudpets.test/']);
    expect(run.stderr).toContain('*   Trying 203.0.113.20:80...\n* Connected to bucket.cloudpets.test (203.0.113.20) port 80\n> GET / HTTP/1.1\n> Host: bucket.cloudpets.test\n');
    expect(run.stderr).toMatch(/^< HTTP\/1\.1 200 OK$/m);
    expect(run.stderr).toMatch(/^< Server: AmazonS3$/m);
    expect(run.stderr).not.toContain(String(http.port));
  });

  it('POSTs -d data', async () => {
    const run = await lab.run(curlMain, ['-s', '-d', 'email=a@example.com', 'http://bucket.cloudpets.test/echo']);
    expect(JSON.parse(run.stdout)).toMatchObject({ method: 'POST', body: 'email=a@example.com' });
  });

  it('exits 6 for a name the lab network does not know', async () => {
    const run = await lab.run(curlMain, ['http://nope.example.com/']);
    expect(run.code).toBe(6);
    expect(run.stderr).toBe('curl: (6) Could not resolve host: nope.example.com\n');
  });

  it('exits 7 for a closed port, and -s hides the message', async () => {
    const run = await lab.run(curlMain, ['http://db.cloudpets.test:8080/']);
    expect(run.code).toBe(7);
    expect(run.stderr).toMatch(/^curl: \(7\) Failed to connect to db\.cloudpets\.test port 8080/);
    const silent = await lab.run(curlMain, ['-s', 'http://bucket.cloudpets.test:8080/']);
    expect(silent.code).toBe(7);
    expect(silent.stderr).toBe('');
  });

  it('exits 7 when the map names a listener that is down', async () => {
    const other = tempLab();
    other.writeMap({ 'api.cloudpets.test': { address: '203.0.113.30', ports: { '80': { host: '127.0.0.1', port: 1 } } } });
    const run = await other.run(curlMain, ['http://api.cloudpets.test/']);
    other.cleanup();
    expect(run.code).toBe(7);
  });

  it('rejects bad arguments with exit code 2', async () => {
    const unknown = await lab.run(curlMain, ['--frobnicate', 'http://bucket.cloudpets.test/']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--frobnicate'/);
    const missing = await lab.run(curlMain, ['http://bucket.cloudpets.test/', '-o']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/option '-o, --output' needs a value/);
    const noUrl = await lab.run(curlMain, []);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toMatch(/no URL specified/);
    const badHeader = await lab.run(curlMain, ['-H', 'NoColon', 'http://bucket.cloudpets.test/']);
    expect(badHeader.code).toBe(2);
  });

  it('refuses a header value with a line break with a clear message (a token pasted with its newline)', async () => {
    const pasted = await lab.run(curlMain, ['-H', 'Authorization: Bearer abc\ndef', '-H', 'X: 1', 'http://api.cloudpets.test/']);
    expect(pasted.code).toBe(2);
    expect(pasted.stderr).toBe("curl: header 'Authorization: Bearer abc⏎def' contains a line break; give each header its own -H\n");
    expect(pasted.stderr).not.toMatch(/internal error/);
  });

  it('exits 3 for a malformed URL and 23 when the output file cannot be written', async () => {
    const bad = await lab.run(curlMain, ['http://exa mple.test:99999/']);
    expect(bad.code).toBe(3);
    const unwritable = await lab.run(curlMain, ['-o', 'no/such/dir/x', 'http://bucket.cloudpets.test/']);
    expect(unwritable.code).toBe(23);
    expect(unwritable.stderr).toMatch(/Failure writing output/);
  });

  it('says where the map is missing', async () => {
    const io = lab.io();
    io.env = { CLOUDPETS_NETWORK: join(lab.dir, 'missing.json') };
    const code = await curlMain(['http://bucket.cloudpets.test/'], io);
    expect(code).toBe(6);
    expect(io.out().stderr).toMatch(/no lab network map at .*missing\.json/);
  });
});
