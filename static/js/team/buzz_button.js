// The big buzz button. It is one element for the whole contest (never rebuilt), so a finger that
// is already on it is never lost when a change arrives; only its state, words and colour change.
import { element } from "/static/js/live/names.js";

const PRESSABLE = ["locked", "armed"];
const DOUBLE_PRESS_MS = 600;
const PRESS_VIBRATION_MS = 40;
const LONG_NAME = 10; // characters of "3号 某某队" beyond which the winner is set smaller

export class BuzzButton {
  /**
   * @param {HTMLButtonElement} button
   * @param {() => void} onPress  called once per press, after the button already looks pressed
   */
  constructor(button, onPress) {
    this.button = button;
    this.onPress = onPress;
    this.lastPress = -Infinity;
    this.signature = "";
    // pointerdown fires on first contact (touch, pen or mouse), before touchend and click: the
    // quickest moment to react. Keyboard and assistive technology still produce a click.
    button.addEventListener("pointerdown", (event) => {
      if (event.button === 0) this.press();
    });
    button.addEventListener("click", () => this.press());
    button.addEventListener("contextmenu", (event) => event.preventDefault());
  }

  /** A press: look pressed at once, buzz the phone, then hand over (double events count once). */
  press() {
    const now = performance.now();
    if (now - this.lastPress < DOUBLE_PRESS_MS) return;
    if (!PRESSABLE.includes(this.button.dataset.state)) return;
    this.lastPress = now;
    this.button.dataset.state = "pressed";
    if (navigator.vibrate) navigator.vibrate(PRESS_VIBRATION_MS);
    this.onPress();
  }

  /** Show `buzz` (from situation.buzzState); the DOM is touched only when something changed. */
  show(buzz, seatClass) {
    const signature = JSON.stringify([buzz, seatClass]);
    if (signature === this.signature) return;
    this.signature = signature;
    const button = this.button;
    button.dataset.state = buzz.state;
    button.className = `ph-buzz ${buzz.state === "lost" && buzz.winnerSeat ? `team-${buzz.winnerSeat}` : seatClass}`;
    button.setAttribute("aria-disabled", PRESSABLE.includes(buzz.state) ? "false" : "true");
    button.replaceChildren(...this.words(buzz));
  }

  words(buzz) {
    const main = element("span", "ph-buzz-label");
    if (buzz.state === "lost") {
      // The winner in its colour, then "先抢到" whole; a long name wraps inside the circle.
      const winner = element("span", "ph-buzz-winner", buzz.winner);
      if (buzz.winner.length > LONG_NAME) winner.classList.add("ph-long");
      main.append(winner, " ", element("span", "ph-nobr", buzz.label));
    } else {
      main.textContent = buzz.label;
    }
    return buzz.sub ? [main, element("span", "ph-buzz-sub", buzz.sub)] : [main];
  }
}
