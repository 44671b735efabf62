// What the notebook requests do at the authority of the notebook's home: one call into the
// NotebookService, and the connection's membership of the notebook's channel through
// nsp.in(socketId), which reaches the socket on whichever node it is connected. The edge
// (./socket.ts) runs these here in one process, or the router sends them to the home's
// owner in cluster mode; a call is plain data (binary included), so it can travel.

import type { NotebookJoinPayload, NotebookPlayPayload, NotebookPolicyPayload } from '../../protocol/notebook/events.js';
import { nbFail, notebookChannel, type NbResult } from './relay.js';
import type { NotebookService } from './service.js';

/** The part of the notebook namespace the operations use: membership of any connection, on any node. */
interface Membership {
  in(room: string): { socketsJoin(room: string): void; socketsLeave(room: string): void };
}

export type NotebookCall =
  | { ns: 'notebook'; event: 'notebook:join'; socketId: string; payload: NotebookJoinPayload }
  | { ns: 'notebook'; event: 'notebook:greet' | 'notebook:leave'; socketId: string; payload: { id: string } }
  | { ns: 'notebook'; event: 'notebook:sync' | 'notebook:awareness'; socketId: string; payload: { id: string; data: Uint8Array } }
  | { ns: 'notebook'; event: 'notebook:policy'; socketId: string; payload: NotebookPolicyPayload }
  | { ns: 'notebook'; event: 'notebook:play'; socketId: string; payload: NotebookPlayPayload }
  | { ns: 'notebook'; event: 'notebook:disconnect'; socketId: string; payload: Record<string, never> };

export function notebookOps(service: NotebookService, nsp: () => Membership): (call: NotebookCall) => Promise<NbResult<unknown>> {
  return async (c) => {
    switch (c.event) {
      case 'notebook:join': {
        const r = await service.join(c.socketId, c.payload);
        if (r.ok) nsp().in(c.socketId).socketsJoin(notebookChannel(c.payload.id));
        return r;
      }
      case 'notebook:greet':
        await service.greet(c.socketId, c.payload.id);
        return { ok: true, data: {} };
      case 'notebook:leave':
        nsp().in(c.socketId).socketsLeave(notebookChannel(c.payload.id));
        return service.leave(c.socketId, c.payload.id);
      case 'notebook:sync':
        return service.sync(c.socketId, c.payload.id, c.payload.data);
      case 'notebook:awareness':
        return service.awareness(c.socketId, c.payload.id, c.payload.data);
      case 'notebook:policy':
        return service.setPolicy(c.socketId, c.payload);
      case 'notebook:play':
        return service.play(c.socketId, c.payload);
      case 'notebook:disconnect':
        await service.disconnect(c.socketId);
        return { ok: true, data: {} };
      default:
        return nbFail('bad_request', 'unknown notebook request');
    }
  };
}
