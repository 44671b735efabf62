// Expected failures are values: every domain operation returns a Result, never throws for
// a bad request. Throwing is for bugs.

import type { Ack, ErrorCode, ProtocolError } from '../protocol/events.js';

export type Result<T> = Ack<T>;

export function ok<T>(data: T): Result<T> {
  return { ok: true, data };
}

export function fail<T = never>(code: ErrorCode, message: string, extra: Omit<ProtocolError, 'code' | 'message'> = {}): Result<T> {
  return { ok: false, error: { code, message, ...extra } };
}
