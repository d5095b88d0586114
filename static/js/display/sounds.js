// The projector's sounds. Browsers refuse to play audio before the page has had a user gesture,
// and a projector page is unattended: so the page tries once, and when refused shows a small
// "点击启用声音" hint; one click (or key press) anywhere enables sound for the rest of the day.

const NAMES = ["buzz", "right", "wrong", "time-up", "tick"];

export class Sounds {
  /**
   * @param {string} base  URL of the sounds folder, ending with "/"
   * @param {HTMLElement} hint  the element that asks for a click
   */
  constructor(base, hint) {
    this.hint = hint;
    this.enabled = false;
    this.muted = false; // the host's choice, from the view
    this.clips = Object.fromEntries(NAMES.map((name) => [name, makeClip(`${base}${name}.wav`)]));
    const unlock = () => this.probe();
    window.addEventListener("pointerdown", unlock);
    window.addEventListener("keydown", unlock);
    hint.addEventListener("click", unlock);
    this.probe();
  }

  /** Try a silent play: it succeeds once the page may play sound; otherwise show the hint. */
  probe() {
    if (this.enabled) return;
    const clip = this.clips.tick;
    clip.volume = 0;
    clip.play().then(
      () => {
        clip.pause();
        clip.volume = 1;
        this.enabled = true;
        this.hint.hidden = true;
      },
      () => {
        clip.volume = 1;
        this.hint.hidden = false;
      },
    );
  }

  /** Play a sound from the start (skipped while sound is not enabled, or the host muted it). */
  play(name) {
    const clip = this.clips[name];
    if (!clip || !this.enabled || this.muted) return;
    clip.currentTime = 0;
    clip.play().catch(() => {});
  }
}

function makeClip(url) {
  const clip = new Audio(url);
  clip.preload = "auto";
  return clip;
}
