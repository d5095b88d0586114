// The scoreboard: one row per team (seat in the team colour, name, score), in standings order.
// A score change counts up and shows its delta (only on the team whose score changed, once); the rows re-sort with a FLIP animation
// (First, Last, Invert, Play), but only when no question is in play, so nothing moves while a
// question is read.

import { element, teamOf } from "/static/js/live/names.js";

const MOVE_MS = 350;
const COUNT_MS = 400;

export class Scoreboard {
  constructor(list) {
    this.list = list;
    this.rows = new Map(); // team id -> {row, place, name, score, delta, shown}
  }

  /**
   * Show the view's scores. `resort` re-orders the rows by the standings; otherwise they keep
   * their places and only the numbers change.
   */
  update(view, { resort, holder = null, out = [] }) {
    const standings = view.standings || [];
    const known = new Set(standings.map((line) => line.team));
    for (const [id, entry] of this.rows) {
      if (!known.has(id)) {
        entry.row.remove();
        this.rows.delete(id);
      }
    }
    const fresh = standings.some((line) => !this.rows.has(line.team));
    for (const line of standings) {
      const entry = this.rows.get(line.team) || this.addRow(view, line.team);
      entry.place.textContent = String(line.place);
      entry.row.classList.toggle("holding", line.team === holder);
      entry.row.classList.toggle("out", out.includes(line.team));
      this.showScore(entry, view.scores ? view.scores[String(line.team)] : line.score);
    }
    this.list.style.setProperty("--rows", String(Math.max(1, Math.ceil(standings.length / 2))));
    if (resort || fresh) this.reorder(standings.map((line) => line.team), !fresh);
  }

  addRow(view, id) {
    const team = teamOf(view, id);
    const row = element("li", `d-row team-${team ? team.seat : "none"}`);
    row.dataset.team = String(id);
    const entry = {
      row,
      place: element("span", "d-row-place"),
      name: element("span", "d-row-name", team ? team.name : ""),
      score: element("span", "d-row-score"),
      delta: element("span", "d-row-delta"),
      shown: null,
    };
    // A finished badge must not play again: moving the row when the rows re-sort would restart it.
    entry.delta.addEventListener("animationend", () => entry.delta.classList.remove("show"));
    row.append(entry.place, element("span", "d-row-seat", team ? team.seat : "—"), entry.name, entry.delta, entry.score);
    this.list.append(row);
    this.rows.set(id, entry);
    return entry;
  }

  /** The new score: count up to it and flash the difference. */
  showScore(entry, score) {
    if (score == null) {
      entry.score.textContent = "";
      return;
    }
    const before = entry.shown;
    entry.shown = score;
    if (before == null || before === score) {
      entry.score.textContent = String(score);
      return;
    }
    const change = score - before;
    entry.delta.textContent = signed(change);
    entry.delta.className = `d-row-delta ${change > 0 ? "up" : "down"}`;
    void entry.delta.offsetWidth; // restart the animation
    entry.delta.classList.add("show");
    countUp(entry.score, before, score);
  }

  /** Put the rows in `order`, animating each from its old place to its new one. */
  reorder(order, animate) {
    const first = new Map();
    if (animate) for (const [id, entry] of this.rows) first.set(id, entry.row.getBoundingClientRect());
    const current = [...this.list.children].map((row) => Number(row.dataset.team));
    if (current.join() !== order.join()) {
      for (const id of order) this.list.append(this.rows.get(id).row);
    }
    if (animate) {
      for (const [id, entry] of this.rows) {
        const before = first.get(id);
        const after = entry.row.getBoundingClientRect();
        const dx = before.left - after.left;
        const dy = before.top - after.top;
        if (dx || dy) {
          entry.row.animate(
            [{ transform: `translate(${dx}px, ${dy}px)` }, { transform: "none" }],
            { duration: MOVE_MS, easing: "cubic-bezier(.2, .7, .2, 1)" },
          );
        }
      }
    }
  }
}

/** A score change as the hall reads it: "+10", "−10" (a true minus sign). */
export function signed(delta) {
  return delta > 0 ? `+${delta}` : `−${-delta}`;
}

const goals = new WeakMap(); // score element -> the score it is counting to

function countUp(target, from, to) {
  const start = performance.now();
  goals.set(target, to);
  const step = (now) => {
    if (goals.get(target) !== to) return; // a newer change took over
    const t = Math.min(1, (now - start) / COUNT_MS);
    target.textContent = String(Math.round(from + (to - from) * t));
    if (t < 1) window.requestAnimationFrame(step);
  };
  window.requestAnimationFrame(step);
}
