// Step-by-step playback of a recorded run: the current step, play/pause on a timer, and
// clamping to the run's length. Shared by the share-link replay and notebook trace cells.

import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class PlaybackController implements ReactiveController {
  /** The step shown: 0 is the initial state, max() the end of the run. */
  at = 0;
  playing = false;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly host: ReactiveControllerHost, private readonly max: () => number, private readonly periodMs = 850) {
    host.addController(this);
  }

  go(n: number): void {
    this.at = Math.max(0, Math.min(this.max(), n));
    if (this.at >= this.max()) this.stop();
    this.host.requestUpdate();
  }

  toggle(): void {
    if (this.playing) { this.stop(); return; }
    if (this.at >= this.max()) this.at = 0;
    this.playing = true;
    this.timer = setInterval(() => this.go(this.at + 1), this.periodMs);
    this.host.requestUpdate();
  }

  stop(): void {
    this.playing = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    this.stop();
  }
}
