// Race mode's everyday collisions: a step clicked on a board that has moved since. When
// only other actors moved and the clicked step is still there, the server applies it right
// after theirs (lateMessage says who moved first); when the step changed, the server refuses
// it with stale_version and changes nothing, and staleMessage says who moved first and what
// became of the step you wanted, so the player looks again instead of feeling wrong.
import type { GameView } from '../../protocol/events.js';
import { actorName, OUTCOME_NAMES } from './labels.js';

/** What the player clicked, and the board they clicked it on. */
export interface StepAttempt {
  actor: string;
  step: string;
  run: number;
  /** Steps in the run when the player clicked. */
  steps: number;
}

/** The note for a stale step, from the game the client sees now. */
export function staleMessage(attempt: StepAttempt, game: GameView, me: string | null): string {
  const mine = actorName(attempt.actor);
  if (game.run !== attempt.run) return `A new run started just before your click, so your ${mine} step was not taken. Look at the fresh board and step again.`;
  if (game.actions.length < attempt.steps) return `The host took back a step just before your click, so your ${mine} step was not taken. Look again.`;
  const moved = game.actions.slice(attempt.steps);
  const first = moved[0];
  let who: string;
  if (!first) who = 'The board changed';
  else if (first.by.kind === 'bot') who = `The ${actorName(first.actor)} (a ${first.by.bot} bot) moved first`;
  else if (first.by.playerId === me) who = `Your own earlier click on the ${actorName(first.actor)} went first`;
  else who = `${first.by.name} moved the ${actorName(first.actor)} first`;
  if (moved.length > 1) who += `, then ${moved.length - 1} more step${moved.length > 2 ? 's' : ''} followed`;
  if (game.result) return `${who}, and the run has ended: ${OUTCOME_NAMES[game.result.outcome]}.`;
  const now = game.choices.find((c) => c.actor === attempt.actor);
  if (!now) return `${who}. Look again and choose your step.`;
  if (now.enabled && now.step === attempt.step) return `${who} — your step “${now.label}” is still there. Look again, then press it.`;
  if (now.enabled) return `${who} — your ${mine}'s next step is now “${now.label}”. Look again before you press.`;
  return `${who} — your ${mine} is blocked now: ${now.reason ?? 'it cannot move'}. Wait for it, or look at what changed.`;
}

/** The note for a step the server applied right after someone else's ('' when nobody else moved first). */
export function lateMessage(attempt: StepAttempt, game: GameView, me: string | null): string {
  if (game.run !== attempt.run) return '';
  const first = game.actions[attempt.steps];
  if (!first || (first.actor === attempt.actor && first.step === attempt.step)) return '';
  const who = first.by.kind === 'bot' ? `The ${actorName(first.actor)} (a ${first.by.bot} bot)`
    : first.by.playerId === me ? `Your own earlier click on the ${actorName(first.actor)}` : `${first.by.name}'s ${actorName(first.actor)}`;
  return `${who} moved first; your ${actorName(attempt.actor)} step went in right after it.`;
}
