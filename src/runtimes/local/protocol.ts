/**
 * The local runner's WebSocket protocol, shared by the browser client (./local-runtime.ts)
 * and the Node server (src/server/local-runner). One socket per lab:
 *
 *   ws://127.0.0.1:<port>/__lab/ws?lab=<id>
 *
 * authenticated by the HttpOnly access cookie the browser sends with the handshake (see
 * src/server/static/access-gate.ts); the page itself never knows the secret.
 *
 * Every frame is a JSON text message. Terminal bytes travel as `output` / `input` strings;
 * file contents as base64 so binary downloads (WAV files) survives.
 */

export const LAB_SOCKET_PATH = '/__lab/ws';
/** The meta tag the server injects into every HTML page it serves: a flag, carrying no secret. */
export const TOKEN_META_NAME = 'cloudpets-local-runner';

export type ClientMessage =
  | { type: 'open-shell'; cols: number; rows: number }
  | { type: 'input'; data: string }
  | { type: 'resize'; cols: number; rows: number }
  | { type: 'read'; id: number; path: string }
  | { type: 'write'; id: number; path: string; base64: string }
  | { type: 'readdir'; id: number; path: string }
  | { type: 'exec'; id: number; command: string; args: string[]; cwd?: string; timeoutMs?: number }
  | { type: 'reset'; id: number };

export type ServerMessage =
  | { type: 'ready'; labId: string }
  | { type: 'output'; data: string }
  | { type: 'shell-exit'; exitCode: number }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: string }
  | { type: 'fatal'; error: string };

// Shared by the page and the Node server. Node has Buffer, whose base64 is native and much
// faster than the browser-safe loop below for the downloads files the server sends.
const NodeBuffer = (globalThis as { Buffer?: { from(data: Uint8Array | string, encoding?: string): Uint8Array & { toString(encoding: string): string } } }).Buffer;

export function encodeBase64(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes).toString('base64');
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export function decodeBase64(text: string): Uint8Array {
  if (NodeBuffer) return new Uint8Array(NodeBuffer.from(text, 'base64'));
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
