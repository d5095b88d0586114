// The end of the contest: the final standings ("加赛决出" beside a place a tiebreak decided).
// Teams without a prize are shown at once; the prizes are uncovered one by one from the last prize
// up, and the winner last, after a pause.

import { element, teamOf } from "/static/js/live/names.js";
import { fitLines } from "/static/js/display/fit.js";

const STEP_MS = 1600;
const WINNER_PAUSE_MS = 2600;
const ROWS_PER_COLUMN = 8;

export class FinalStandings {
  constructor(list, play) {
    this.list = list;
    this.play = play;
    this.timers = [];
    this.drawn = null; // the standings drawn, to redraw only when they change
  }

  /**
   * Show the standings; the first time, play the reveal (unless `animate` is false: the host's
   * ceremony already uncovered them). A later correction shows at once.
   */
  show(view, animate = true) {
    const standings = view.standings || [];
    const signature = JSON.stringify(standings);
    if (signature === this.drawn) return;
    const first = this.drawn === null && animate;
    this.drawn = signature;
    this.timers.forEach((timer) => window.clearTimeout(timer));
    this.timers = [];
    layOut(this.list, standings.length);
    const rows = standings.map((line) => finalRow(view, line, first));
    this.list.replaceChildren(...rows);
    fitLines(this.list, 0.4);
    if (first) this.reveal(rows.filter((row) => row.dataset.prize).reverse());
  }

  /** Uncover `rows` (the last prize first) one at a time; the winner after a longer pause. */
  reveal(rows) {
    let at = STEP_MS;
    rows.forEach((row, i) => {
      const last = i === rows.length - 1;
      if (last && rows.length > 1) at += WINNER_PAUSE_MS - STEP_MS;
      this.timers.push(window.setTimeout(() => {
        row.classList.remove("pending", "veiled");
        row.classList.add(last ? "winner" : "revealing");
        fitLines(row, 0.4);
        this.play(last ? "buzz" : "right");
      }, at));
      at += STEP_MS;
    });
  }
}

/** Columns of at most ROWS_PER_COLUMN rows for `count` lines, as even as they go. */
export function layOut(list, count) {
  const columns = Math.ceil(count / ROWS_PER_COLUMN) || 1;
  list.style.setProperty("--cols", String(columns));
  list.style.setProperty("--rows", String(Math.ceil(count / columns) || 1));
}

/** One line of the final standings (a prize row `veiled` until the reveal uncovers it). */
export function finalRow(view, line, veiled = false) {
  const team = teamOf(view, line.team);
  const row = element("li", `d-final-row team-${team ? team.seat : "none"}`);
  row.dataset.team = String(line.team);
  if (line.prize) {
    row.dataset.prize = line.prize;
    if (line.place === 1) row.classList.add("prize-1");
    if (veiled) row.classList.add("pending", "veiled");
  }
  row.append(
    element("span", "d-final-place", `第${line.place}名`),
    element("span", "d-final-seat", team ? team.seat : "—"),
    element("span", "d-final-name fit-line", team ? team.name : ""),
    element("span", "d-final-tb", line.by_tiebreak ? "加赛决出" : ""),
    element("span", "d-final-prize", line.prize || ""),
    element("span", "d-final-score", line.score),
  );
  return row;
}
