// The notebook's two ports to the game (server/notebook/ports.ts), made of the room and
// class services: which seat a credential proves (the rules kernel decides it from the
// room as it is now), and opening a room whose host is the notebook's editor.

import { notebookSeatOfPlayer } from '../protocol/rules.js';
import type { ClassService } from './classes.js';
import type { GamePorts } from './notebook/ports.js';
import { creatorRole, type RoomService } from './rooms.js';

export function notebookGamePorts(rooms: RoomService, classes: ClassService): GamePorts {
  return {
    async seatOf(notebook, cred) {
      if (cred.kind === 'teacher') return notebook.kind === 'class' && (await classes.isTeacher(notebook.ref, cred.token)) ? 'host' : null;
      if (cred.kind !== 'room') return null;
      if (notebook.kind === 'room' && cred.room !== notebook.ref) return null;
      const holder = await rooms.holder(cred.room, cred.token);
      if (!holder || (notebook.kind === 'class' && holder.classCode !== notebook.ref)) return null;
      return notebookSeatOfPlayer(holder.table, holder.playerId, notebook.kind);
    },
    openRoom: ({ lesson, scenario, mode, host }) =>
      rooms.open({ lesson, scenario, mode, classCode: null, creator: { name: host, role: creatorRole(lesson) } }),
  };
}
