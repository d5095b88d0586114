// The ceremony (成绩揭晓): the contest is finished with the scores hidden or frozen, and the host
// uncovers the places one per press (揭晓下一名), from the last place upward; the winner last.
// The view holds only the uncovered lines (docs/protocol.md, suspense): the places still covered
// stay as dim slots above them, so the hall sees how many are to come. A newly uncovered line
// lights up with a sound; the first place gets the winner's animation.

import { element } from "/static/js/live/names.js";
import { finalRow, layOut } from "/static/js/display/final.js";
import { fitLines } from "/static/js/display/fit.js";

export class Ceremony {
  constructor(list, play) {
    this.list = list;
    this.play = play;
    this.shown = null; // team ids uncovered when last drawn (null: never drawn)
    this.signature = null; // the lines last drawn, to redraw only when they change
  }

  /** Draw the uncovered lines under the covered slots; animate the lines new since the last draw. */
  show(view) {
    const lines = view.standings || [];
    const total = Math.max(lines.length, (view.suspense && view.suspense.total) || (view.teams || []).length);
    const signature = JSON.stringify(lines);
    if (signature === this.signature) return;
    this.signature = signature;
    const before = this.shown;
    this.shown = new Set(lines.map((line) => line.team));
    layOut(this.list, total);
    const covered = Array.from({ length: total - lines.length }, () => coveredRow());
    const rows = lines.map((line) => finalRow(view, line));
    this.list.replaceChildren(...covered, ...rows);
    fitLines(this.list, 0.4);
    if (before === null) return; // a page opened mid-ceremony shows what is uncovered, without fanfare
    const fresh = rows.filter((row) => !before.has(Number(row.dataset.team)));
    const winner = fresh.some((row) => row.querySelector(".d-final-place").textContent === "第1名");
    fresh.forEach((row) => row.classList.add(winner ? "winner" : "revealing"));
    if (fresh.length) this.play(winner ? "buzz" : "right");
  }
}

/** A place still covered: a dim bar with a question mark. */
function coveredRow() {
  const row = element("li", "d-final-row covered");
  row.append(element("span", "d-final-place", "第？名"), element("span", "d-final-name", "？"));
  return row;
}
