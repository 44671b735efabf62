// How a socket request's arguments are read, for the game's and the notebook's edge alike.

/**
 * A request's arguments: the payload, then the ack (always last). Whatever the client sent —
 * no payload, or more arguments than that — the ack, when there is one, gets an answer.
 */
export function requestArgs(args: unknown[]): { payload: unknown; ack: (r: unknown) => void; extra: boolean } {
  const last = args[args.length - 1];
  const ack = typeof last === 'function' ? (last as (r: unknown) => void) : () => {};
  const rest = typeof last === 'function' ? args.slice(0, -1) : args;
  return { payload: rest[0], ack, extra: rest.length > 1 };
}
