// The countdown: a ring that empties and large seconds, red in the last five seconds, with a tick
// each of those seconds. The server owns the clock; this only draws deadline − server now.

import { everyFrame, remainingFraction, remainingMs, secondsLabel } from "/static/js/live/countdown.js";

const URGENT_MS = 5000;
const RUNNING_PHASES = new Set(["answering", "buzzing"]);
const LABELS = { buzzing: "抢答", answering: "作答" };

export class Clock {
  /**
   * @param {HTMLElement} box  the clock element (ring, seconds, label inside)
   * @param {() => number} serverNow
   * @param {(name: string) => void} play  plays a sound
   */
  constructor(box, serverNow, play) {
    this.box = box;
    this.seconds = box.querySelector("#clock-seconds");
    this.label = box.querySelector("#clock-label");
    this.serverNow = serverNow;
    this.play = play;
    this.stage = null;
    this.lastLabel = "";
    everyFrame(() => this.draw());
  }

  /** Follow the stage of a new view. */
  show(stage) {
    const deadline = this.stage ? this.stage.deadline : null;
    this.stage = stage && stage.deadline != null && RUNNING_PHASES.has(stage.phase) ? stage : null;
    this.box.hidden = this.stage === null;
    if (!this.stage || this.stage.deadline !== deadline) this.lastLabel = "";
    if (this.stage) this.label.textContent = stage.kind === "speed" ? "本轮剩余" : LABELS[stage.phase] || "";
  }

  draw() {
    if (!this.stage) return;
    const now = this.serverNow();
    const ms = remainingMs(this.stage, now);
    const text = secondsLabel(ms);
    if (text !== this.lastLabel) {
      this.seconds.textContent = text;
      const whole = Number(text);
      if (this.lastLabel !== "" && whole > 0 && whole <= URGENT_MS / 1000) this.play("tick");
      this.lastLabel = text;
    }
    this.box.style.setProperty("--left", remainingFraction(this.stage, now).toFixed(4));
    this.box.classList.toggle("urgent", ms <= URGENT_MS);
    this.box.classList.toggle("stopped", ms === 0);
  }
}
