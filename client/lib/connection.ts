// The page's one socket.io connection. Rooms, classes ('/') and notebooks ('/notebook') are
// namespaces multiplexed over it; screens add and remove their own listeners but never close
// it, so moving between the game, the notebook and a class keeps the same live connection.
// (A screen that closed its socket used to close the shared connection for the next screen.)
import { Manager, type Socket } from 'socket.io-client';

let manager: Manager | null = null;

function shared(): Manager {
  manager ??= new Manager({ path: '/socket.io', transports: ['websocket', 'polling'], reconnectionDelayMax: 4000, autoConnect: false });
  return manager;
}

/** The connected socket of a namespace on the page's connection (opened on first use). */
export function namespaceSocket<S extends Socket = Socket>(nsp: string): S {
  const socket = shared().socket(nsp);
  if (!socket.active) socket.connect();
  return socket as unknown as S;
}

/** Waits until `socket` is connected; resolves false when `ms` pass first. */
export function whenConnected(socket: Socket, ms: number): Promise<boolean> {
  if (socket.connected) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      resolve(ok);
    };
    const onConnect = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    socket.on('connect', onConnect);
  });
}
