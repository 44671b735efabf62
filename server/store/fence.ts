// Fencing of room writes in cluster mode. The node that owns a room holds the room's lease
// and its fencing token (../cluster/leases.ts); the shared store compares that token with
// the room's row in room_owner inside every write transaction of the room, so a node that
// lost its lease (paused past it, cut off, slow) cannot commit a step after another node
// took the room over: its write is refused whole with a StaleOwnerError.

/** The tokens this node holds, asked by the store at each room write. */
export interface Fence {
  /** The fencing token this node holds for the room, or null when it does not own it. */
  tokenOf(room: string): number | null;
  /** The lease the room's writes are checked against (a class room lives under its class's). */
  homeOf(room: string): string;
}

/** A room write refused because the writer does not hold the room's current token. Nothing of it was stored. */
export class StaleOwnerError extends Error {
  readonly code = 'stale_owner' as const;
  constructor(
    readonly room: string,
    /** The token the writer presented (null: it holds none). */
    readonly held: number | null,
    /** The room's current token (null: nobody ever owned the room). */
    readonly current: number | null,
  ) {
    super(`write to room ${room} refused: this node holds token ${held ?? 'none'}, the room's owner token is ${current ?? 'none'}`);
    this.name = 'StaleOwnerError';
  }
}
