/**
 * The local runner's WebSocket protocol, shared by the browser client (./local-runtime.ts)
 * and the Node server (src/server/local-runner, which validates every message against
 * client-message-schema.ts). One socket per lab:
 *
 *   ws://127.0.0.1:<port>/__lab/ws?lab=<id>[&seed=<learner seed>]
 *
 * authenticated by the HttpOnly access cookie the browser sends with the handshake (see
 * src/server/static/access-gate.ts); the page itself never knows the secret.
 *
 * Every frame is a JSON text message carrying one lab operation (docs/lab-runtime-contract.md);
 * there is no "run any command" message. File contents travel as base64 in chunks of at most
 * FILE_CHUNK_BYTES, so a big file never needs one huge frame.
 */

export const LAB_SOCKET_PATH = '/__lab/ws';
/** The meta tag the server injects into every HTML page it serves: a flag, carrying no secret. */
export const TOKEN_META_NAME = 'cloudpets-local-runner';

/** Largest frame the runner accepts (a bigger one closes the socket with 1009). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Raw bytes of file content per chunk (base64 makes it 4/3 larger, still under MAX_MESSAGE_BYTES). */
export const FILE_CHUNK_BYTES = 512 * 1024;
/** Largest file the page may read or write through the runner. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Characters of terminal input per message: the page splits a big paste. */
export const INPUT_CHUNK_CHARS = 16 * 1024;

export type ClientMessage =
  | { type: 'open-shell'; cols: number; rows: number }
  | { type: 'input'; data: string }
  | { type: 'resize'; cols: number; rows: number }
  | { type: 'restart-world'; id: number }
  | { type: 'run-checks'; id: number }
  | { type: 'read'; id: number; path: string }
  /** One chunk of a file; the file is written (atomically) when the chunk with `last` arrives. */
  | { type: 'write'; id: number; path: string; base64: string; last: boolean }
  | { type: 'list-outputs'; id: number; database?: boolean }
  | { type: 'reset'; id: number };

export type ServerMessage =
  | { type: 'ready'; labId: string }
  | { type: 'output'; data: string }
  /** The lab shell printed its ready signal: input may be sent. */
  | { type: 'shell-ready' }
  | { type: 'shell-exit'; exitCode: number }
  /** A new CheckReport in the lab (from the button or `checks` typed in the shell). */
  | { type: 'report'; report: unknown }
  /** One chunk of a file being read (then the result). */
  | { type: 'chunk'; id: number; base64: string }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: string; exitCode?: number }
  /** A message the runner could not accept; the lab goes on. */
  | { type: 'error'; error: string }
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

/** A file sent in FILE_CHUNK_BYTES pieces, whole again (both directions: reads and uploads). */
export function joinChunks(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
