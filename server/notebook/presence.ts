// Presence (y-protocols awareness) as the server checks it: the shape of an update and the
// client ids it speaks for. Names are replaced by the one the connection joined with.

import * as decoding from 'lib0/decoding';
import { modifyAwarenessUpdate } from 'y-protocols/awareness';

/** Checks an awareness update's shape; returns the client ids it speaks for (and the names it claims), or what is wrong. */
export function checkAwareness(data: Uint8Array): { client: number; name: string | null }[] | string {
  try {
    const d = decoding.createDecoder(data);
    const n = decoding.readVarUint(d);
    if (n < 1 || n > 2) return 'an update carries one or two clients';
    const ids: { client: number; name: string | null }[] = [];
    for (let i = 0; i < n; i++) {
      const client = decoding.readVarUint(d);
      decoding.readVarUint(d); // clock
      const json = decoding.readVarString(d);
      const state = JSON.parse(json) as unknown;
      let name: string | null = null;
      if (state !== null) {
        if (typeof state !== 'object' || Array.isArray(state)) return 'a state is an object or null';
        const s = state as Record<string, unknown>;
        const user = s.user as Record<string, unknown> | undefined;
        if (user !== undefined && (typeof user !== 'object' || user === null)) return 'user must be an object';
        if (user && user.color !== undefined && (typeof user.color !== 'string' || !/^#[0-9a-fA-F]{6}$/.test(user.color))) return 'user.color must be #rrggbb';
        const cursor = s.cursor as Record<string, unknown> | null | undefined;
        if (cursor !== undefined && cursor !== null && (typeof cursor !== 'object' || typeof cursor.cell !== 'string' || cursor.cell.length > 40)) return 'cursor must be {cell, anchor, head} or null';
        name = typeof user?.name === 'string' ? user.name : '';
      }
      ids.push({ client, name });
    }
    if (decoding.hasContent(d)) return 'trailing bytes';
    return ids;
  } catch {
    return 'not a y-protocols awareness update';
  }
}

/** The update with every state's name replaced by the one the connection joined with. */
export function withName(data: Uint8Array, checked: { name: string | null }[], name: string): Uint8Array {
  if (checked.every((e) => e.name === null || e.name === name)) return data;
  return modifyAwarenessUpdate(data, (state: unknown) => {
    if (!state || typeof state !== 'object') return state;
    const s = state as { user?: Record<string, unknown> };
    return { ...s, user: { ...(s.user ?? {}), name } };
  });
}
