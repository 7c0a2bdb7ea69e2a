import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import saslprep from '@mongodb-js/saslprep';

export type ScramMechanism = 'SCRAM-SHA-1' | 'SCRAM-SHA-256';
export const SCRAM_MECHANISMS: ScramMechanism[] = ['SCRAM-SHA-1', 'SCRAM-SHA-256'];

export interface ScramCredential {
  iterationCount: number;
  salt: string;
  storedKey: string;
  serverKey: string;
}

const params = {
  'SCRAM-SHA-1': { hash: 'sha1', keyLength: 20, saltLength: 16, iterations: 10_000 },
  'SCRAM-SHA-256': { hash: 'sha256', keyLength: 32, saltLength: 28, iterations: 15_000 },
} as const;

/** What the password is hashed from: mongod's MD5 digest for SHA-1, the SASLprep'd password for SHA-256. */
function passwordInput(mechanism: ScramMechanism, user: string, password: string): string {
  if (mechanism === 'SCRAM-SHA-1') return createHash('md5').update(`${user}:mongo:${password}`).digest('hex');
  return saslprep(password);
}

/** Credentials as mongod stores them in admin.system.users (never the password itself). */
export function makeCredential(mechanism: ScramMechanism, user: string, password: string): ScramCredential {
  const p = params[mechanism];
  const salt = randomBytes(p.saltLength);
  const salted = pbkdf2Sync(passwordInput(mechanism, user, password), salt, p.iterations, p.keyLength, p.hash);
  const clientKey = createHmac(p.hash, salted).update('Client Key').digest();
  return {
    iterationCount: p.iterations,
    salt: salt.toString('base64'),
    storedKey: createHash(p.hash).update(clientKey).digest('base64'),
    serverKey: createHmac(p.hash, salted).update('Server Key').digest('base64'),
  };
}

/** SASL usernames escape ',' as =2C and '=' as =3D (RFC 5802). */
function decodeSaslName(name: string): string {
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

function attributes(message: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq === 1) map.set(part[0]!, part.slice(2));
  }
  return map;
}

export class ScramFailure extends Error {}

/**
 * The server side of one SCRAM conversation (RFC 5802 / 7677, as MongoDB uses it). The
 * AuthMessage is built from the exact strings exchanged, which is why the server-first
 * message is kept verbatim.
 */
export class ScramConversation {
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';
  private credential: ScramCredential | undefined;
  done = false;
  /** Whether the client asked to skip the empty final round (skipEmptyExchange). */
  skipEmpty = false;
  /** Started inside hello (speculativeAuthenticate). */
  speculative = false;
  userName = '';

  constructor(readonly mechanism: ScramMechanism) {}

  /** Parses client-first and returns the user name it names (before credentials are known). */
  readClientFirst(payload: string): string {
    if (!payload.startsWith('n,') && !payload.startsWith('y,')) throw new ScramFailure('SCRAM channel binding is not supported');
    const gs2End = payload.indexOf(',', payload.indexOf(',') + 1);
    if (gs2End < 0) throw new ScramFailure('malformed SCRAM client-first message');
    this.clientFirstBare = payload.slice(gs2End + 1);
    const attrs = attributes(this.clientFirstBare);
    const user = attrs.get('n');
    const clientNonce = attrs.get('r');
    if (user === undefined || !clientNonce) throw new ScramFailure('malformed SCRAM client-first message');
    this.userName = decodeSaslName(user);
    this.nonce = clientNonce + randomBytes(24).toString('base64');
    return this.userName;
  }

  serverFirstMessage(credential: ScramCredential): string {
    this.credential = credential;
    this.serverFirst = `r=${this.nonce},s=${credential.salt},i=${credential.iterationCount}`;
    return this.serverFirst;
  }

  /** Checks the proof; returns server-final ("v=...") or throws ScramFailure. */
  verifyClientFinal(payload: string): string {
    const credential = this.credential;
    if (!credential) throw new ScramFailure('SCRAM conversation not started');
    const proofAt = payload.lastIndexOf(',p=');
    if (proofAt < 0) throw new ScramFailure('SCRAM client-final message has no proof');
    const withoutProof = payload.slice(0, proofAt);
    const attrs = attributes(withoutProof);
    if (attrs.get('r') !== this.nonce) throw new ScramFailure('SCRAM nonce mismatch');
    if (attrs.get('c') !== 'biws') throw new ScramFailure('SCRAM channel binding is not supported');
    const proof = Buffer.from(payload.slice(proofAt + 3), 'base64');
    const p = params[this.mechanism];
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const storedKey = Buffer.from(credential.storedKey, 'base64');
    const signature = createHmac(p.hash, storedKey).update(authMessage).digest();
    if (proof.length !== signature.length) throw new ScramFailure('SCRAM proof has the wrong length');
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i]! ^ signature[i]!;
    const computed = createHash(p.hash).update(clientKey).digest();
    if (!timingSafeEqual(computed, storedKey)) throw new ScramFailure('SCRAM proof does not match');
    const serverSignature = createHmac(p.hash, Buffer.from(credential.serverKey, 'base64')).update(authMessage).digest('base64');
    this.done = true;
    return `v=${serverSignature}`;
  }
}
