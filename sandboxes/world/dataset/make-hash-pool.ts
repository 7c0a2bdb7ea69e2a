/**
 * Regenerates weak-password-hashes.json: bcrypt (cost 10) hashes of the tiny weak-password
 * list, several salts each. Run once and commit the output:
 *   npx tsx sandboxes/world/dataset/make-hash-pool.ts
 * Why a pool: one bcrypt hash at cost 10 takes ~70 ms in pure JS, so hashing 821,396 users
 * would take about 16 hours. Weak users draw from this pool instead (distinct salts, so two
 * users with "qwe" usually have different hashes, as in the real leak).
 */
import bcrypt from 'bcryptjs';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WEAK_PASSWORDS } from './weak-passwords.ts';

const SALTS_PER_PASSWORD = 4;
const pool: Record<string, string[]> = {};
for (const password of WEAK_PASSWORDS) {
  pool[password] = [];
  for (let i = 0; i < SALTS_PER_PASSWORD; i++) {
    // $2a$: the prefix bcryptjs 2.x (Parse Server's hasher in 2016) wrote; same algorithm as $2b$.
    const salt = bcrypt.genSaltSync(10).replace(/^\$2b\$/, '$2a$');
    pool[password].push(bcrypt.hashSync(password, salt));
  }
}
const out = fileURLToPath(new URL('./weak-password-hashes.json', import.meta.url));
writeFileSync(out, JSON.stringify(pool, null, 2) + '\n');
console.log(`wrote ${out}`);
