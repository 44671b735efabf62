// Hash routing: #/<screen>/<segments…>?<query>. The join links the server hands out
// (/r/<CODE> for a room, /c/<CODE> for a class) are turned into #/room/<CODE> and
// #/class/<CODE> on load, so every screen lives in the hash and a reload lands on the same screen.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface Route {
  screen: string;
  segments: string[];
  query: URLSearchParams;
}

export function parseRoute(hash: string, pathname = '/'): Route {
  const joinLink = /^\/([rc])\/([A-Za-z0-9]{4,8})\/?$/.exec(pathname);
  if (joinLink && (hash === '' || hash === '#' || hash === '#/')) {
    return { screen: joinLink[1] === 'r' ? 'room' : 'class', segments: [joinLink[2]!.toUpperCase()], query: new URLSearchParams() };
  }
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q >= 0 ? raw.slice(0, q) : raw;
  const query = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  const [screen = '', ...segments] = path.split('/');
  return { screen: screen || 'lobby', segments, query };
}

export function navigate(hash: string, replace = false): void {
  const url = `${/^\/[rc]\//.test(location.pathname) ? '/' : location.pathname}${location.search}${hash}`;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export class RouteController implements ReactiveController {
  route: Route = parseRoute(location.hash, location.pathname);

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  private readonly onChange = (): void => {
    this.route = parseRoute(location.hash, location.pathname);
    this.host.requestUpdate();
  };

  hostConnected(): void {
    window.addEventListener('hashchange', this.onChange);
    window.addEventListener('popstate', this.onChange);
  }

  hostDisconnected(): void {
    window.removeEventListener('hashchange', this.onChange);
    window.removeEventListener('popstate', this.onChange);
  }
}
