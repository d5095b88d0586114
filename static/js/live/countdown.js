// Drawing the server's clock: the countdown is `deadline − server now`; the client only draws it.

/** Milliseconds left on the stage clock, or null when no clock runs. */
export function remainingMs(stage, serverNow) {
  if (!stage || stage.deadline == null) return null;
  return Math.max(0, stage.deadline - serverNow);
}

/** Fraction of the clock's time still left (1 at the start, 0 at the end). */
export function remainingFraction(stage, serverNow) {
  if (!stage || stage.deadline == null || stage.clock_started == null) return 0;
  const total = stage.deadline - stage.clock_started;
  return total > 0 ? Math.min(1, Math.max(0, (stage.deadline - serverNow) / total)) : 0;
}

/** Whole seconds to show (rounded up, so "1" stays until the very end). */
export function secondsLabel(ms) {
  return ms == null ? "" : String(Math.ceil(ms / 1000));
}

/** Run `draw` every animation frame (about 60 times a second), for a smooth countdown. */
export function everyFrame(draw) {
  const loop = () => {
    draw();
    window.requestAnimationFrame(loop);
  };
  window.requestAnimationFrame(loop);
}
