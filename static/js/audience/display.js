// The audience question on the projector: laid over the contest while the host has one open (see
// templates/audience/display_overlay.html). The distribution comes a few times a second from the
// server (audience_tally), never once per answer; the right option lights up at the reveal.
import { fitBox } from "/static/js/display/fit.js";
import { LETTERS, audienceSocket, countsOf, percent } from "/static/js/audience/link.js";
import { element } from "/static/js/live/names.js";

const PHASE_LABELS = { open: "作答中", closed: "作答已截止", revealed: "答案揭晓" };
const app = document.getElementById("app");
const overlay = document.getElementById("audience-view");
const $ = (id) => document.getElementById(id);
let view = { question: null };

audienceSocket({ role: "display", contest: Number(app.dataset.contest), token: app.dataset.token }, {
  onView: (next) => draw(next),
  onTally: (tally) => draw({ ...view, tally }),
});
window.addEventListener("resize", () => fit());

function draw(next) {
  const newQuestion = !view.question || !next.question || view.question.id !== next.question.id;
  view = next;
  const question = view.question;
  overlay.hidden = !question;
  if (!question) return;
  if (newQuestion) buildOptions(question);
  $("da-stem").textContent = question.stem;
  $("da-phase").textContent = PHASE_LABELS[question.phase] || "";
  $("da-phase").dataset.phase = question.phase;
  drawCounts(question, countsOf(view));
  drawWinner(view.winner);
  if (newQuestion) fit();
}

function buildOptions(question) {
  $("da-options").replaceChildren(...question.options.map((text, index) => {
    const item = element("li", "da-option");
    item.dataset.letter = LETTERS[index];
    item.append(element("span", "da-bar"), element("span", "da-letter", LETTERS[index]), element("span", "da-text", text),
      element("span", "da-count"));
    return item;
  }));
}

function drawCounts(question, tally) {
  const counts = tally ? tally.counts : question.options.map(() => 0);
  const total = tally ? tally.total : 0;
  const most = Math.max(1, ...counts);
  $("da-total").textContent = String(total);
  for (const item of $("da-options").children) {
    const index = LETTERS.indexOf(item.dataset.letter);
    item.querySelector(".da-bar").style.width = `${(100 * counts[index]) / most}%`;
    item.querySelector(".da-count").replaceChildren(String(counts[index]), element("small", "", percent(counts[index], total)));
    item.classList.toggle("right", question.answer === item.dataset.letter);
    item.classList.toggle("faded", Boolean(question.answer) && question.answer !== item.dataset.letter);
  }
}

function drawWinner(winner) {
  overlay.classList.toggle("drawn", Boolean(winner));
  $("da-winner").hidden = !winner;
  if (!winner) return;
  $("da-winner-code").textContent = winner.code;
  $("da-winner-company").textContent = winner.company || "";
  fitBox($("da-winner-company"), 0.4, "across");
}

/** A long stem shrinks to its box (display.css gives it at most 30 % of the height). */
function fit() {
  if (!overlay.hidden) fitBox($("da-stem"), 0.45);
}
