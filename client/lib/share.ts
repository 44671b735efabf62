// Share links: a run is its scenario plus its actions, written into the URL hash so that
// whoever opens the link replays the same run locally with the engine.
//   #/replay/<variant>/<config>/<actions>?at=<step>&lesson=<id>
// <config> is a reference config id, or `~` + base64url(JSON) for a lesson's own config.
// <actions> is comma-separated `<actor code>.<step>`, actor codes v, r, a, a2, a3…
import { isConfigId, isScenarioError, makeScenario } from '../../engine/index.js';
import type { Action, ActorId, Config, Scenario } from '../../engine/index.js';

export interface SharedRun {
  scenario: Scenario;
  actions: Action[];
  at?: number;
  lesson?: string;
}

const CODE_OF: Record<string, string> = { victim: 'v', reaper: 'r', allocator: 'a' };

function actorCode(actor: string): string {
  const m = /^allocator(\d+)$/.exec(actor);
  return m ? `a${m[1]}` : (CODE_OF[actor] ?? actor);
}

function actorOf(code: string): ActorId | null {
  if (code === 'v') return 'victim';
  if (code === 'r') return 'reaper';
  if (code === 'a') return 'allocator';
  const m = /^a(\d{1,2})$/.exec(code);
  return m ? (`allocator${m[1]}` as ActorId) : null;
}

function b64urlEncode(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function b64urlDecode(text: string): string {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

export function encodeActions(actions: readonly Action[]): string {
  return actions.map((a) => `${actorCode(a.actor)}.${a.step}`).join(',');
}

export function decodeActions(text: string): Action[] | string {
  if (text === '' || text === '-') return [];
  const out: Action[] = [];
  for (const part of text.split(',')) {
    const dot = part.indexOf('.');
    const actor = dot > 0 ? actorOf(part.slice(0, dot)) : null;
    const step = part.slice(dot + 1);
    if (!actor || !/^[A-Za-z0-9_:]{1,60}$/.test(step)) return `this link has a damaged step "${part.slice(0, 40)}"`;
    out.push({ actor, step });
  }
  return out;
}

/** The hash (starting with `#/replay/`) of a run. */
export function shareHash(run: SharedRun): string {
  const cfg = run.scenario.config;
  const configPart = isConfigId(cfg.id) ? cfg.id : `~${b64urlEncode(JSON.stringify(cfg))}`;
  const query = new URLSearchParams();
  if (run.at !== undefined) query.set('at', String(run.at));
  if (run.lesson) query.set('lesson', run.lesson);
  const q = query.toString();
  return `#/replay/${encodeURIComponent(run.scenario.variant)}/${configPart}/${encodeActions(run.actions) || '-'}${q ? `?${q}` : ''}`;
}

/** Parses the path segments after `replay/`, or says what is wrong with the link. */
export function parseShare(segments: readonly string[], query: URLSearchParams): SharedRun | string {
  const [variant, configPart, actionsPart] = segments;
  if (!variant || !configPart) return 'this link does not name a scenario: it should look like #/replay/rfc-v1/pgtable-heavy/a.A1,a.A2';
  let config: string | Config = configPart;
  if (configPart.startsWith('~')) {
    try {
      config = JSON.parse(b64urlDecode(configPart.slice(1))) as Config;
    } catch {
      return 'this link’s scenario is damaged: ask for the link again';
    }
  }
  const scenario = makeScenario(decodeURIComponent(variant), config);
  if (isScenarioError(scenario)) return `this link’s scenario does not exist: ${scenario.message}`;
  const actions = decodeActions(actionsPart ?? '');
  if (typeof actions === 'string') return actions;
  const run: SharedRun = { scenario, actions };
  const at = Number(query.get('at'));
  if (query.has('at') && Number.isInteger(at) && at >= 0) run.at = Math.min(at, actions.length);
  const lesson = query.get('lesson');
  if (lesson) run.lesson = lesson;
  return run;
}
