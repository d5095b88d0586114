// Shrinking text to its box. A box's font sizes are written as calc(… * var(--fit, 1)) in
// display.css; these functions lower --fit until the content no longer overflows, so a
// 200-character stem or a 30-character team name is never cut off.

const STEPS = 7; // binary search: 1/128 of the range is finer than a pixel of font size

/** Whether the box's content fits inside it (a pixel of rounding allowed); `across` only checks the width. */
export function fits(box, across = false) {
  const wide = box.scrollWidth <= box.clientWidth + 1;
  return across ? wide : wide && box.scrollHeight <= box.clientHeight + 1;
}

/**
 * Set the largest --fit in [min, 1] at which `box` fits; returns it. One-line boxes pass
 * `across`: their glyphs may poke out of the line box vertically, which is not an overflow.
 */
export function fitBox(box, min = 0.35, across = false) {
  if (!box || box.offsetParent === null) return 1; // hidden: measured again when shown
  box.style.setProperty("--fit", "1");
  if (fits(box, across)) return 1;
  let low = min;
  let high = 1;
  for (let i = 0; i < STEPS; i += 1) {
    const middle = (low + high) / 2;
    box.style.setProperty("--fit", String(middle));
    if (fits(box, across)) low = middle;
    else high = middle;
  }
  box.style.setProperty("--fit", String(low));
  return low;
}

/** Fit every one-line text (class fit-line) inside `root` to its width. */
export function fitLines(root, min = 0.3) {
  for (const line of root.querySelectorAll(".fit-line")) fitBox(line, min, true);
}
