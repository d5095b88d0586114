// The question zone: stem, options with big letters and, once the host reveals it, the right
// option lit with the explanation and the policy source under it. The answer is never in the
// display's view before the reveal (contest/views.py), so nothing here can leak it.

import { TYPE_LABELS, element, setText } from "/static/js/live/names.js";
import { fitBox } from "/static/js/display/fit.js";

const LETTERS = "ABCDEFGHIJ";
const OPTION_SCALES = [0.95, 0.9]; // slightly smaller option text, tried before letting an option wrap
const TRUE_FALSE = [
  { key: "对", mark: "✓" },
  { key: "错", mark: "✗" },
];

export class QuestionZone {
  constructor(box) {
    this.box = box;
    this.stem = box.querySelector("#q-stem");
    this.options = box.querySelector("#q-options");
    this.reveal = box.querySelector("#reveal");
    this.shownKey = null;
  }

  /** Show the stage's question (or hide the zone when there is none). */
  show(stage) {
    const question = stage && stage.question;
    this.box.hidden = !question;
    if (!question) {
      this.shownKey = null;
      return;
    }
    const key = `${stage.index}/${stage.turn}/${question.id}`;
    if (key !== this.shownKey) {
      this.shownKey = key;
      setText("q-type", TYPE_LABELS[question.type] || "");
      setText("q-category", question.category || "");
      this.stem.textContent = question.stem;
      this.buildOptions(question);
    }
    this.showReveal(stage, question);
  }

  buildOptions(question) {
    const choices = optionsOf(question);
    this.options.replaceChildren(
      ...choices.map((choice) => {
        const item = element("li", "d-option");
        item.dataset.key = choice.key;
        item.append(element("span", "d-letter", choice.mark), element("span", "d-option-text", choice.text),
          element("span", "d-option-mark"));
        return item;
      }),
    );
    this.options.hidden = choices.length === 0;
    this.options.className = `d-options count-${choices.length}`;
  }

  /** After the reveal: light the right options, mark the team's own wrong choice, show why. */
  showReveal(stage, question) {
    // The display's view carries the answer only once revealed (also a resolved tiebreak's deciding question).
    const revealed = question.answer != null;
    this.box.classList.toggle("revealed", revealed);
    this.reveal.hidden = !revealed;
    const right = revealed ? answerKeys(question) : new Set();
    const chosen = stage.submitted ? answerKeys({ ...question, answer: stage.submitted }) : new Set();
    for (const item of this.options.children) {
      const key = item.dataset.key;
      const isRight = right.has(key);
      item.classList.toggle("right", isRight);
      item.classList.toggle("chosen", chosen.has(key));
      item.classList.toggle("wrong", revealed && chosen.has(key) && !isRight);
      item.querySelector(".d-option-mark").textContent = isRight ? "✓" : revealed && chosen.has(key) ? "✗" : "";
    }
    if (revealed) {
      setText("reveal-answer", `${question.type === "open" ? "参考答案" : "正确答案"}：${question.answer}`);
      setText("reveal-explanation", question.explanation ? `解析：${question.explanation}` : "");
      setText("reveal-source", question.source ? `依据：${question.source}` : "");
    }
  }

  /**
   * Shrink the stem, options and explanation together until they fit the zone. Options go 2×2;
   * one that would wrap there gets its text up to a tenth smaller; if it still wraps, one option
   * per line is tried, and kept unless it needs smaller text overall.
   */
  fit() {
    this.options.classList.remove("long");
    this.options.style.setProperty("--option-fit", "1");
    const grid = fitBox(this.box, 0.3);
    if (this.options.children.length < 2 || !this.anOptionWraps()) return;
    for (const scale of OPTION_SCALES) {
      this.options.style.setProperty("--option-fit", String(scale));
      if (!this.anOptionWraps()) return;
    }
    this.options.style.setProperty("--option-fit", "1");
    this.options.classList.add("long");
    if (fitBox(this.box, 0.3) < grid) {
      this.options.classList.remove("long");
      fitBox(this.box, 0.3);
    }
  }

  anOptionWraps() {
    return [...this.options.querySelectorAll(".d-option-text")].some(
      (text) => text.clientHeight > 1.5 * parseFloat(getComputedStyle(text).lineHeight),
    );
  }
}

/** The choices to draw: lettered options, or 对/错 for a true/false question. */
function optionsOf(question) {
  if (question.type === "true_false") return TRUE_FALSE.map((choice) => ({ ...choice, text: choice.key }));
  return (question.options || []).map((text, i) => ({ key: LETTERS[i], mark: LETTERS[i], text }));
}

/** The option keys an answer names: letters ("A,C" → A and C), or 对/错. */
function answerKeys(question) {
  const answer = String(question.answer || "").trim();
  if (question.type === "true_false") {
    const truthy = ["对", "正确", "√", "是", "t", "true", "y", "yes"].includes(answer.toLowerCase());
    return new Set([truthy ? "对" : "错"]);
  }
  return new Set(answer.toUpperCase().match(/[A-J]/g) || []);
}
