// Moments the hall must not miss: the buzz winner's colour and name fill the screen, then shrink
// into the holder bar beside the question; a foul fills the screen in red with "犯规"; a verdict
// is stamped over the question for a moment. A verdict never waits behind a flash: a host who
// judges within the flash's moment cuts it short (the stamp also sits above it).

import { teamOf } from "/static/js/live/names.js";
import { fitLines } from "/static/js/display/fit.js";

const FLASH_MS = 1300;
const SETTLE_MS = 350;
const STAMP_MS = 1400;

export class Moments {
  constructor(app) {
    this.app = app;
    this.flash = app.querySelector("#flash");
    this.stamp = app.querySelector("#stamp");
    this.flashTimer = null;
    this.settling = null; // while the flash is up: {target} (a function giving the box it shrinks into, or null)
    this.stampTimer = null;
  }

  /**
   * Fill the screen with a team: `kind` is the headline ("抢到答题权", "犯规"), `foul` paints it red.
   * After a moment it settles into `target` (the holder bar), or fades when there is none.
   */
  showTeam(view, teamId, kind, { foul = false, detail = "", target = null } = {}) {
    const team = teamOf(view, teamId);
    if (!team) return;
    this.clearStamp(); // the last verdict belongs to the moment before this one
    window.clearTimeout(this.flashTimer);
    this.flash.getAnimations().forEach((animation) => animation.cancel());
    this.flash.className = `d-flash team-${team.seat}${foul ? " foul" : ""}`;
    this.flash.querySelector(".d-flash-kind").textContent = kind;
    this.flash.querySelector(".d-flash-seat").textContent = String(team.seat);
    this.flash.querySelector(".d-flash-name").textContent = detail ? `${team.name}  ${detail}` : team.name;
    this.flash.hidden = false;
    fitLines(this.flash, 0.3);
    this.flash.animate([{ opacity: 0, transform: "scale(1.04)" }, { opacity: 1, transform: "none" }], { duration: 200 });
    this.settling = { target };
    this.flashTimer = window.setTimeout(() => this.endFlash(), FLASH_MS);
  }

  /** End the flash now (its time is up, or a verdict came): it settles into its target. */
  endFlash() {
    window.clearTimeout(this.flashTimer);
    const { target } = this.settling;
    this.settling = null;
    this.settle(target && target());
  }

  /** Shrink the flash into the box it settles in, then hide it. */
  settle(target) {
    const from = this.app.getBoundingClientRect();
    const frames = [{ opacity: 1, transform: "none" }];
    if (target && target.offsetParent !== null) {
      const to = target.getBoundingClientRect();
      const scaleX = to.width / from.width;
      const scaleY = to.height / from.height;
      frames.push({ opacity: 0.6, transform: `translate(${to.left - from.left}px, ${to.top - from.top}px) scale(${scaleX}, ${scaleY})` });
      target.classList.remove("settle");
      void target.offsetWidth;
      target.classList.add("settle");
    } else {
      frames.push({ opacity: 0, transform: "none" });
    }
    this.flash.style.transformOrigin = "0 0";
    const animation = this.flash.animate(frames, { duration: SETTLE_MS, easing: "ease-in" });
    animation.onfinish = () => {
      this.flash.hidden = true;
    };
  }

  /** Stamp a short verdict over the question; `tone` is right, wrong, other or time. */
  showStamp(text, tone) {
    if (this.settling) this.endFlash();
    window.clearTimeout(this.stampTimer);
    this.stamp.textContent = text;
    this.stamp.className = `d-stamp ${tone}`;
    this.stamp.hidden = false;
    this.stamp.animate(
      [{ opacity: 0, transform: "translate(-50%, -50%) scale(1.4)" }, { opacity: 1, transform: "translate(-50%, -50%) scale(1)" }],
      { duration: 220, easing: "ease-out" },
    );
    this.stampTimer = window.setTimeout(() => {
      this.stamp.hidden = true;
    }, STAMP_MS);
  }

  /** Take the verdict down (the question it stamped is gone). */
  clearStamp() {
    window.clearTimeout(this.stampTimer);
    this.stamp.hidden = true;
  }

  /** Take everything down (an undo took back the moment). */
  clear() {
    window.clearTimeout(this.flashTimer);
    this.settling = null;
    this.flash.hidden = true;
    this.clearStamp();
  }
}
