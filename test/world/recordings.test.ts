import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documents, recordingByKey } from '../../sandboxes/world/dataset/generate.ts';
import { CLIPS, CLIPS_DIR } from '../../sandboxes/world/recordings/clips.ts';

/** Minimal RIFF/WAVE reader: the fmt chunk and the data size. */
function parseWav(bytes: Buffer): { format: number; channels: number; rate: number; bits: number; seconds: number } {
  expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
  expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
  expect(bytes.subarray(8, 12).toString('latin1')).toBe('WAVE');
  let offset = 12;
  let fmt: { format: number; channels: number; rate: number; bits: number } | undefined;
  let dataSize = -1;
  while (offset + 8 <= bytes.length) {
    const id = bytes.subarray(offset, offset + 4).toString('latin1');
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'fmt ') fmt = { format: bytes.readUInt16LE(offset + 8), channels: bytes.readUInt16LE(offset + 10), rate: bytes.readUInt32LE(offset + 12), bits: bytes.readUInt16LE(offset + 22) };
    if (id === 'data') dataSize = size;
    offset += 8 + size + (size % 2);
  }
  expect(fmt).toBeDefined();
  expect(dataSize).toBeGreaterThan(0);
  return { ...fmt!, seconds: dataSize / (fmt!.rate * fmt!.channels * (fmt!.bits / 8)) };
}

describe('recordings', () => {
  it('every clip is a small mono 16-bit PCM WAV of a few seconds', () => {
    expect(CLIPS.length).toBeGreaterThanOrEqual(10);
    for (const clip of CLIPS) {
      const wav = parseWav(readFileSync(join(CLIPS_DIR, clip.file)));
      expect(wav.format, clip.file).toBe(1); // PCM
      expect(wav.channels).toBe(1);
      expect(wav.bits).toBe(16);
      expect(wav.rate).toBeGreaterThanOrEqual(8000);
      expect(wav.rate).toBeLessThanOrEqual(16000);
      expect(wav.seconds).toBeGreaterThan(1);
      expect(wav.seconds).toBeLessThan(8);
    }
  });

  it('the committed WAVs are exactly the catalogued clips and stay well under 1 MB together', () => {
    const files = readdirSync(CLIPS_DIR).filter((f) => f.endsWith('.wav')).sort();
    expect(files).toEqual(CLIPS.map((c) => c.file).sort());
    const total = files.reduce((sum, f) => sum + statSync(join(CLIPS_DIR, f)).size, 0);
    expect(total).toBeLessThan(800 * 1024);
  });

  it('the script that made them is committed next to them', () => {
    const script = readFileSync(join(CLIPS_DIR, 'make-recordings.sh'), 'utf8');
    expect(script).toContain('espeak-ng');
    expect(script).toContain('sox');
    for (const clip of CLIPS) expect(script).toContain(clip.file);
  });

  it('every recording key of a dataset maps to a committed clip', () => {
    const options = { seed: 11, users: 1500 };
    const used = new Set<string>();
    let n = 0;
    for (const doc of documents(options, 'recordings')) {
      const found = recordingByKey(options, (doc as { key: string }).key);
      expect(found).toBeDefined();
      used.add(found!.clip.file);
      n++;
    }
    expect(n).toBeGreaterThan(3000);
    // With thousands of recordings every clip gets used.
    expect([...used].sort()).toEqual(CLIPS.map((c) => c.file).sort());
  });
});
