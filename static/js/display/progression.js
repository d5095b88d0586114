// Between stages, the projector shows how the scores got here: each team's score after each
// question (one point per team turn in a speed stage, one per correction), a line per team in
// its colour, with its own dash pattern and a labelled end, so a washed-out projector or a
// colour-blind viewer still tells the lines apart. The standings move to one column on the left.
//
// The numbers come from /display/<id>/<token>/progression.json (results/routes.py); this module
// only draws them. It is not called by main.js: it watches the page, drawing whenever the
// "between stages" panel is shown, and again when the scoreboard changes while it is shown.

const SVG = "http://www.w3.org/2000/svg";
const MAX_TEAMS = 8; // more teams need the whole width for the two-column standings
const REFRESH_DELAY_MS = 400; // let the scoreboard settle before asking again
const DASHES = ["", "10 5", "3 4", "12 4 3 4", "18 6", "6 6", "12 4 3 4 3 4", "2 7"];

const $ = (id) => document.getElementById(id);
const app = $("app");
const live = $("live-view");
const between = $("between");
const board = $("board");
const panel = $("progression");
const plot = $("progression-plot");
const source = `/display/${app.dataset.contest}/${encodeURIComponent(app.dataset.token)}/progression.json`;

let data = null;
let shown = false;
let timer = null;

/** Show or hide the chart as the page's mode changes; fetch fresh numbers when it appears. */
function follow() {
  const teams = board.children.length;
  // While the host hides or freezes the scores (live.dataset.suspense), the chart would tell too much.
  const show = !live.hidden && !between.hidden && !live.dataset.suspense && teams > 0 && teams <= MAX_TEAMS;
  if (show === shown) return;
  shown = show;
  live.classList.toggle("has-progression", show);
  panel.hidden = !show;
  window.dispatchEvent(new Event("resize")); // the standings changed width: let main.js fit the names again
  if (show) refresh();
}

/** Fetch the progression soon (a burst of scoreboard changes makes one request). */
function refreshSoon() {
  if (!shown) return;
  window.clearTimeout(timer);
  timer = window.setTimeout(refresh, REFRESH_DELAY_MS);
}

async function refresh() {
  try {
    const response = await fetch(source, { cache: "no-store" });
    if (!response.ok) return;
    data = await response.json();
    draw();
  } catch {
    // The connection is down: the connection notice says so; the next change redraws.
  }
}

function node(tag, attributes = {}, text = null) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text != null) element.textContent = String(text);
  return element;
}

/** Round score marks (steps of 1, 2 or 5 × 10ⁿ) covering low…high, as results/chart.py does. */
function ticks(low, high, wanted = 6) {
  if (low === high) [low, high] = [low - 10, high + 10];
  let step = 1;
  while (step * wanted < high - low) step = String(step)[0] === "2" ? (step * 5) / 2 : step * 2;
  const marks = [];
  for (let mark = Math.floor(low / step) * step; mark <= Math.ceil(high / step) * step; mark += step) marks.push(mark);
  return marks;
}

function draw() {
  const width = plot.clientWidth;
  const height = plot.clientHeight;
  if (!data || !shown || !width || !height || !data.labels.length) {
    plot.replaceChildren();
    return;
  }
  const font = height / 17;
  const box = { left: font * 2.8, right: width - font * 5.4, top: font * 2.9, bottom: height - font * 0.6 };
  const values = Object.values(data.series).flat();
  const marks = ticks(Math.min(...values), Math.max(...values));
  const count = data.labels.length;
  const x = (i) => (count <= 1 ? (box.left + box.right) / 2 : box.left + (i * (box.right - box.left)) / (count - 1));
  const y = (v) => box.bottom - ((v - marks[0]) * (box.bottom - box.top)) / (marks[marks.length - 1] - marks[0]);
  const svg = node("svg", { class: "d-chart", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "得分走势", "font-size": font });
  svg.append(...bands(x, box, count, font), ...grid(marks, y, box, font), ...lines(x, y, font), ...ends(y, box, font));
  plot.replaceChildren(svg);
}

/** A shaded band per stage with its title on top: every stage with points is named (see placeTitles). */
function bands(x, box, count, font) {
  const parts = [];
  const titles = [];
  data.stages.forEach((stage, number) => {
    const end = number + 1 < data.stages.length ? data.stages[number + 1].start : count;
    const left = Math.max(box.left, x(stage.start - 0.5));
    const right = Math.min(box.right, x(end - 0.5));
    parts.push(node("rect", { class: `d-chart-band ${number % 2 ? "odd" : "even"}`, x: left, y: box.top, width: Math.max(0, right - left), height: box.bottom - box.top }));
    if (right > left) titles.push({ centre: (left + right) / 2, title: stage.title });
  });
  for (const { centre, row, title } of placeTitles(titles, font, box.left, box.right)) {
    parts.push(node("text", { class: "d-chart-stage", x: centre, y: box.top - font * (0.45 + 1.2 * row), "text-anchor": "middle" }, title));
  }
  return parts;
}

/**
 * Where each stage title goes, left to right, as results/chart.py place_titles does: centred over
 * its band (kept inside left…right) on the lowest of two rows where it overlaps no title placed
 * before it; when no row is free, on the row that frees first, just clear of the title there.
 */
function placeTitles(titles, charWidth, left, right, rows = 2) {
  const ends = Array(rows).fill(-Infinity);
  return titles.map(({ centre, title }) => {
    const half = (charWidth * title.length) / 2;
    let at = Math.min(Math.max(centre, left + half), right - half);
    let row = ends.findIndex((end) => at - half >= end + charWidth / 2);
    if (row < 0) {
      row = ends.indexOf(Math.min(...ends));
      at = ends[row] + charWidth / 2 + half;
    }
    ends[row] = at + half;
    return { centre: at, row, title };
  });
}

function grid(marks, y, box, font) {
  return marks.flatMap((mark) => [
    node("line", { class: "d-chart-grid", x1: box.left, x2: box.right, y1: y(mark), y2: y(mark) }),
    node("text", { class: "d-chart-axis", x: box.left - font * 0.4, y: y(mark) + font * 0.35, "text-anchor": "end", "font-size": font * 0.85 }, mark),
  ]);
}

function lines(x, y, font) {
  return data.teams.map((team) => {
    const series = data.series[String(team.id)] || [];
    const points = series.map((score, i) => `${x(i).toFixed(1)},${y(score).toFixed(1)}`).join(" ");
    const line = node("polyline", { class: `d-chart-line team-${team.seat}`, points, "stroke-width": font * 0.28 });
    const dash = DASHES[(team.seat - 1) % DASHES.length];
    if (dash) line.setAttribute("stroke-dasharray", dash.split(" ").map((n) => Number(n) * font * 0.09).join(" "));
    return line;
  });
}

/** "3号 150" in the team's colour beside each line's end, nudged apart where scores are close. */
function ends(y, box, font) {
  const last = data.teams
    .map((team) => ({ team, score: (data.series[String(team.id)] || []).at(-1) }))
    .filter((end) => end.score != null)
    .map((end) => ({ ...end, y: y(end.score) }))
    .sort((a, b) => a.y - b.y || a.team.seat - b.team.seat);
  const gap = font * 1.15;
  last.forEach((end, i) => { end.at = i ? Math.max(end.y, last[i - 1].at + gap) : end.y; });
  const overflow = last.length ? last.at(-1).at - (box.bottom - gap / 2) : 0;
  return last.map((end) => {
    const at = end.at - Math.max(0, overflow);
    const chip = node("g", { class: `d-chart-end team-${end.team.seat}`, transform: `translate(${box.right + font * 0.5} ${at})` });
    chip.append(
      node("line", { x1: -font * 0.5, x2: 0, y1: end.y - at, y2: 0 }),
      node("rect", { x: 0, y: -gap / 2 + 1, width: font * 4.6, height: gap - 2, rx: font * 0.2 }),
      node("text", { x: font * 0.3, y: font * 0.36 }, `${end.team.seat}号 ${end.score}`),
    );
    return chip;
  });
}

new MutationObserver(follow).observe(between, { attributes: true, attributeFilter: ["hidden"] });
new MutationObserver(follow).observe(live, { attributes: true, attributeFilter: ["hidden", "data-suspense"] });
new MutationObserver(() => { follow(); refreshSoon(); }).observe(board, { childList: true, subtree: true, characterData: true });
window.addEventListener("resize", () => shown && draw());
follow();
