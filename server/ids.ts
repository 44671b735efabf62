// Identifiers: short join codes people can read aloud, and secret tokens that are only
// ever stored hashed. Randomness comes from node:crypto (never the engine's PRNG).

import { createHash, randomBytes, randomInt } from 'node:crypto';

/** No 0/O, 1/I/L: codes are read off a projector. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function newCode(length = 6): string {
  let s = '';
  for (let i = 0; i < length; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

/**
 * How many codes there should be for each live one, so that one guess hits a live room with
 * a chance of at most 1 in 10 million (docs/SECURITY.md: what guessing costs).
 */
export const CODES_PER_LIVE = 10_000_000;

/** The code length for `live` rooms: 6 characters up to 88 live rooms, 7 up to 2,751, then 8 (the longest a code may be). */
export function codeLength(live: number): number {
  let length = 6;
  while (length < 8 && CODE_ALPHABET.length ** length < CODES_PER_LIVE * live) length++;
  return length;
}

/** A fresh code not yet used by a room or a class, long enough for `live` rooms (see codeLength). */
export function uniqueCode(taken: (code: string) => boolean, live = 0): string {
  const length = codeLength(live);
  for (let attempt = 0; ; attempt++) {
    const code = newCode(attempt < 20 ? length : 8);
    if (!taken(code)) return code;
  }
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function newId(): string {
  return randomBytes(6).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** A uint32 seed from a string (FNV-1a), for seeds derived from room codes and run numbers. */
export function seedFrom(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0000')) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
