/**
 * Every lab world's recordings are its own: the bucket's copy of each synthetic clip carries
 * a RIFF LIST/INFO chunk naming the world's seed, so a clip downloaded in one learner's world
 * is not byte for byte an object of another's (the recordings lab compares bytes). Players
 * skip INFO chunks, so the clip still plays; the audio itself is untouched.
 */
function chunk(id: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'ascii');
  header.writeUInt32LE(body.length, 4);
  // RIFF chunks are word-aligned: an odd-sized body gets one pad byte.
  return Buffer.concat([header, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

export function stampClip(wav: Buffer, seed: number): Buffer {
  if (wav.length < 12 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  const comment = Buffer.from(`CloudPets breach lab, synthetic voice, world ${seed}\0`, 'ascii');
  const info = chunk('LIST', Buffer.concat([Buffer.from('INFO', 'ascii'), chunk('ICMT', comment)]));
  const out = Buffer.concat([wav, info]);
  out.writeUInt32LE(out.length - 8, 4);
  return out;
}
