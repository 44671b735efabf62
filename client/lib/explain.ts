// What the page says about a refusal whose cause is on the server's side rather than the
// player's: the message a person reads, in place of the server's terse one.

import type { ProtocolError } from '../../protocol/wire.js';

export const UNAVAILABLE_WORDS = 'The server could not save this just now: its database (or, on a site with several servers, the one running this room) is not answering. Nothing was changed. It recovers by itself — try again in a few seconds.';

/** The same error, with words a player understands where the code calls for them. */
export function explain<C extends string>(e: ProtocolError<C>): ProtocolError<C> {
  if (e.code === 'unavailable') return { ...e, message: UNAVAILABLE_WORDS };
  return e;
}
