/**
 * Every message a page sends the local runner, as a schema (zod): a message that does not
 * match gets a clear error back and changes nothing. The types in
 * src/runtimes/local/protocol.ts are the same shapes for the browser side, which ships no zod.
 */
import { z } from 'zod';
import { FILE_CHUNK_BYTES, INPUT_CHUNK_CHARS, type ClientMessage } from '../../runtimes/local/protocol.ts';

const id = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const size = z.number().int().min(2).max(1000);
const path = z.string().min(1).max(4096);
/** base64 of at most FILE_CHUNK_BYTES bytes. */
const base64Chunk = z
  .string()
  .max(Math.ceil(FILE_CHUNK_BYTES / 3) * 4)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

const clientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('open-shell'), cols: size, rows: size }).strict(),
  z.object({ type: z.literal('input'), data: z.string().max(INPUT_CHUNK_CHARS) }).strict(),
  z.object({ type: z.literal('resize'), cols: size, rows: size }).strict(),
  z.object({ type: z.literal('restart-world'), id }).strict(),
  z.object({ type: z.literal('run-checks'), id }).strict(),
  z.object({ type: z.literal('read'), id, path }).strict(),
  z.object({ type: z.literal('write'), id, path, base64: base64Chunk, last: z.boolean() }).strict(),
  z.object({ type: z.literal('list-outputs'), id, database: z.boolean().optional() }).strict(),
  z.object({ type: z.literal('reset'), id }).strict(),
]);

export type ParsedMessage = { ok: true; message: ClientMessage } | { ok: false; error: string; id?: number };

/** Parses one text frame. Never throws. */
export function parseClientMessage(text: string): ParsedMessage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'the lab socket accepts JSON messages only; this one is not valid JSON' };
  }
  const result = clientMessage.safeParse(json);
  if (result.success) return { ok: true, message: result.data as ClientMessage };
  const given = json !== null && typeof json === 'object' ? (json as { id?: unknown; type?: unknown }) : undefined;
  const type = typeof given?.type === 'string' ? `"${given.type.slice(0, 40)}"` : '(no type)';
  const where = result.error.issues[0];
  const detail = where ? `${where.path.join('.') || 'message'}: ${where.message}` : 'does not match the protocol';
  return {
    ok: false,
    error: `message ${type} refused: ${detail} (see src/runtimes/local/protocol.ts)`,
    ...(typeof given?.id === 'number' && Number.isSafeInteger(given.id) ? { id: given.id } : {}),
  };
}
