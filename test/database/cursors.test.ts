import { describe, expect, it } from 'vitest';
import { CURSOR_TIMEOUT_MS, CursorRegistry } from '../../sandboxes/database/cursors.ts';

describe('cursor registry', () => {
  it('keeps batches in order, closes with id 0, and frees cursors left idle past the timeout', () => {
    let now = 1_000_000;
    const cursors = new CursorRegistry(() => now);
    const docs = Array.from({ length: 5 }, (_, i) => ({ i }));
    const first = cursors.firstBatch('t.c', docs, undefined, '', 2);
    expect(first.docs).toHaveLength(2);
    expect(first.id).toBeGreaterThan(0n);
    const next = cursors.nextBatch(first.id, 't.c', '', 2);
    expect(next.id).toBe(first.id);
    const last = cursors.nextBatch(first.id, 't.c', '', 2);
    expect(last.docs).toHaveLength(1);
    expect(last.id).toBe(0n);
    expect(() => cursors.nextBatch(first.id, 't.c', '', 2)).toThrow(/not found/);

    const abandoned = cursors.firstBatch('t.c', docs, undefined, '', 1);
    expect(() => cursors.nextBatch(abandoned.id, 't.c', 'someone.else', 1)).toThrow(/not found/);
    now += CURSOR_TIMEOUT_MS + 60_000;
    cursors.firstBatch('t.c', docs, undefined, '', 1);
    expect(() => cursors.nextBatch(abandoned.id, 't.c', '', 1)).toThrow(/not found/);
  });
});
