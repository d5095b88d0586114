// Shrinking text to its box. A box's font sizes are written as calc(… * var(--fit, 1)) in
// display.css; these functions lower --fit until the content no longer overflows, so a
// 200-character stem or a 30-character team name is never cut off. A team name may wrap to two
// lines first (class fit-2): two lines of large text read better from the back of the hall than
// one line of small text.

const STEPS = 7; // binary search: 1/128 of the range is finer than a pixel of font size

/**
 * Whether the box's content fits inside it (a pixel of rounding allowed). `mode` "across" only
 * checks the width (one-line boxes: their glyphs may poke out of the line box vertically, which is
 * not an overflow); "lines" is for a line-clamped box (fit-2), where the glyphs poke out the same
 * way but a hidden line would add a whole line to the height, so half a line is allowed.
 */
export function fits(box, mode = "all") {
  const wide = box.scrollWidth <= box.clientWidth + 1;
  if (mode === "across") return wide;
  const slack = mode === "lines" ? parseFloat(getComputedStyle(box).lineHeight) / 2 : 1;
  return wide && box.scrollHeight <= box.clientHeight + slack;
}

/** Set the largest --fit in [min, 1] at which `box` fits (see `fits` for `mode`); returns it. */
export function fitBox(box, min = 0.35, mode = "all") {
  if (!box || box.offsetParent === null) return 1; // hidden: measured again when shown
  box.style.setProperty("--fit", "1");
  if (fits(box, mode)) return 1;
  let low = min;
  let high = 1;
  for (let i = 0; i < STEPS; i += 1) {
    const middle = (low + high) / 2;
    box.style.setProperty("--fit", String(middle));
    if (fits(box, mode)) low = middle;
    else high = middle;
  }
  box.style.setProperty("--fit", String(low));
  return low;
}

/** Fit every one-line text (class fit-line) to its width and every two-line text (fit-2) to its two lines. */
export function fitLines(root, min = 0.3) {
  for (const line of root.querySelectorAll(".fit-line")) fitBox(line, min, "across");
  for (const box of root.querySelectorAll(".fit-2")) fitBox(box, min, "lines");
}
