// Answering a choice question on the phone: big option buttons (A/B/C/D with the option text, or
// 对/错), several toggled for a multiple choice, then one confirmation before it is sent.
import { TYPE_LABELS, element } from "/static/js/live/names.js";
import { confirmStep } from "/static/js/team/confirm_step.js";

const LETTERS = "ABCDEFGH";

export class AnswerPad {
  /**
   * @param {HTMLElement} root  the container the pad draws into
   * @param {(choice: string) => Promise<{ok: boolean, reason?: string}>} submit
   */
  constructor(root, submit) {
    this.root = root;
    this.submit = submit;
    this.key = null;
    this.question = null;
    this.reset();
  }

  reset() {
    this.chosen = new Set();
    this.confirming = false;
    this.busy = false;
    this.problem = "";
    this.stemOpen = false;
  }

  /**
   * Show the question `key`. Drawn again only for a new question (which clears a half-made
   * choice) or by the pad's own taps: a change arriving mid-tap must not replace the button
   * under the finger.
   */
  show(question, key) {
    if (key === this.key) return;
    this.key = key;
    this.question = question;
    this.reset();
    this.draw();
  }

  /** The answer as the server reads it: "B", "AC" or "对". */
  choice() {
    return [...this.chosen].sort().join("");
  }

  options() {
    const question = this.question;
    if (question.type === "true_false") return [{ value: "对", text: "" }, { value: "错", text: "" }];
    return (question.options || []).map((text, i) => ({ value: LETTERS[i], text }));
  }

  pick(value) {
    if (this.busy) return;
    if (this.question.type === "multi") {
      if (this.chosen.has(value)) this.chosen.delete(value);
      else this.chosen.add(value);
    } else {
      this.chosen = new Set([value]);
    }
    this.problem = "";
    this.draw();
  }

  async send() {
    this.busy = true;
    this.draw();
    const ack = await this.submit(this.choice());
    this.busy = false;
    if (ack.ok) {
      this.key = null; // done with this question: should it come back (an undo), start afresh
      this.root.replaceChildren();
      return;
    }
    this.confirming = false;
    this.problem = ack.reason || "提交失败，请重试";
    this.draw();
  }

  draw() {
    const question = this.question;
    const parts = [];
    parts.push(this.heading());
    if (this.confirming) {
      parts.push(confirmStep({
        title: `确认提交答案「${this.choice()}」？`,
        lines: [...this.options().filter((o) => this.chosen.has(o.value) && o.text).map((o) => `${o.value}. ${o.text}`),
          "提交后不能修改"],
        confirmText: "确认提交",
        busy: this.busy,
        onConfirm: () => this.send(),
        onBack: () => { this.confirming = false; this.draw(); },
      }));
    } else {
      parts.push(this.optionList());
      if (this.problem) parts.push(element("p", "ph-problem", this.problem));
      const go = element("button", "ph-btn ph-btn-main ph-submit", "提交答案");
      go.type = "button";
      go.disabled = this.chosen.size === 0;
      go.addEventListener("click", () => { this.confirming = true; this.draw(); });
      parts.push(go);
    }
    this.root.replaceChildren(...parts);
  }

  /** The question type, and the stem folded away (the big screen shows it; this is for a second look). */
  heading() {
    const question = this.question;
    const stem = element("details", "ph-stem");
    const multi = question.type === "multi" ? " · 可选多项" : "";
    stem.append(element("summary", "", `${TYPE_LABELS[question.type] || "选择题"}${multi} · 查看题目`),
      element("p", "", question.stem));
    stem.open = this.stemOpen;
    stem.addEventListener("toggle", () => { this.stemOpen = stem.open; });
    return stem;
  }

  optionList() {
    const list = element("div", `ph-options ph-options-${this.question.type}`);
    list.setAttribute("role", "group");
    for (const option of this.options()) {
      const button = element("button", "ph-option");
      button.type = "button";
      button.dataset.value = option.value;
      button.setAttribute("aria-pressed", this.chosen.has(option.value) ? "true" : "false");
      button.append(element("span", "ph-option-key", option.value));
      if (option.text) button.append(element("span", "ph-option-text", option.text));
      button.addEventListener("click", () => this.pick(option.value));
      list.append(button);
    }
    return list;
  }
}
