// The host's audience question (观众互动题): a dialog of the console, on the /audience namespace.
// Only the next legal step is enabled (close → reveal → draw, end at any time); a new question is
// put from the contest's bank or typed, while none is open.
import { EVENTS } from "/live/protocol.js";
import { LETTERS, ask, audienceSocket, countsOf, percent } from "/static/js/audience/link.js";
import { element } from "/static/js/live/names.js";

const PHASE_LABELS = { open: "作答中", closed: "作答已截止", revealed: "已公布答案" };
const ENABLED = { open: ["close", "end"], closed: ["reveal", "end"], revealed: ["draw", "end"] };
const NEXT = { open: "close", closed: "reveal", revealed: "end" };
const DONE = { open: "已出题，观众可以作答", close: "已停止作答", reveal: "已公布答案", draw: "已抽取幸运观众", end: "已结束，大屏回到比赛" };
const app = document.getElementById("app");
const dialog = document.getElementById("audience-dialog");
const $ = (id) => document.getElementById(id);
let view = { question: null };

const socket = audienceSocket({ role: "host", contest: Number(app.dataset.contest) }, {
  onView: (next) => { view = next; draw(); },
  onTally: (tally) => { view = { ...view, tally }; draw(); },
  onStatus: (status, detail) => status === "refused" && notice("error", detail),
});

$("audience-open").addEventListener("click", () => { loadBank(); dialog.showModal(); });

function notice(kind, text) {
  $("ah-notice").dataset.kind = kind;
  $("ah-notice").textContent = text;
}

async function loadBank() {
  const ack = await ask(socket, EVENTS.AUDIENCE_BANK);
  const select = $("ah-bank");
  if (!ack.ok) { notice("error", ack.reason); return; }
  const options = ack.questions.map((question) => {
    const option = element("option", "", question.stem.length > 60 ? `${question.stem.slice(0, 60)}…` : question.stem);
    option.value = String(question.id);
    return option;
  });
  const none = element("option", "", options.length ? `请选择（共 ${options.length} 题）` : "题库中没有可用的题");
  none.value = "";
  select.replaceChildren(none, ...options);
}

async function command(payload) {
  const ack = await ask(socket, EVENTS.AUDIENCE_COMMAND, payload);
  notice(ack.ok ? "ok" : "error", ack.ok ? DONE[payload.action] : `未执行：${ack.reason}`);
  return ack;
}

$("ah-bank-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const id = Number($("ah-bank").value);
  if (!id) { notice("error", "请先选择一道题"); return; }
  await command({ action: "open", bank_question: id });
});

$("ah-own-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const options = String(form.get("options")).split("\n").map((line) => line.trim()).filter(Boolean);
  const ack = await command({ action: "open", stem: form.get("stem"), options, answer: form.get("answer") });
  if (ack.ok) event.target.reset();
});

for (const button of dialog.querySelectorAll("[data-audience]")) {
  button.addEventListener("click", () => command({ action: button.dataset.audience }));
}

function draw() {
  const question = view.question;
  $("ah-current").hidden = !question;
  $("ah-new").hidden = Boolean(question);
  $("ah-state").textContent = question ? PHASE_LABELS[question.phase] : "未出题";
  $("audience-open").textContent = question ? `观众互动 · ${PHASE_LABELS[question.phase]}` : "观众互动";
  if (!question) { loadBank(); return; }
  const tally = countsOf(view);
  const total = tally ? tally.total : 0;
  $("ah-stem").textContent = question.stem;
  $("ah-total").textContent = String(total);
  $("ah-options").replaceChildren(...question.options.map((text, index) => {
    const count = tally ? tally.counts[index] : 0;
    const item = element("li", question.answer === LETTERS[index] ? "right" : "");
    item.append(element("span", "", LETTERS[index]), element("span", "", text), element("span", "num", `${count} 人`),
      element("span", "num", percent(count, total)));
    return item;
  }));
  $("ah-winner").textContent = view.winner ? `幸运观众：观众号 ${view.winner.code}${view.winner.company ? `（${view.winner.company}）` : ""}` : "";
  for (const button of dialog.querySelectorAll("[data-audience]")) {
    const action = button.dataset.audience;
    button.disabled = !ENABLED[question.phase].includes(action) || (action === "draw" && Boolean(view.winner));
    button.dataset.next = NEXT[question.phase] === action ? "yes" : "no";
  }
}
