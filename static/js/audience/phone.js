// An audience phone: follows the hall's question over /audience, answers with one tap and a
// confirmation, and shows the right answer and the drawn winner. Beyond the server's connection
// budget (现场人数已满) it asks over HTTP every few seconds instead.
import { EVENTS } from "/live/protocol.js";
import { LETTERS, ask, audienceSocket, countsOf } from "/static/js/audience/link.js";
import { element } from "/static/js/live/names.js";

const page = document.getElementById("ap");
const $ = (id) => document.getElementById(id);
const csrf = document.querySelector("meta[name='csrf-token']").content;
const myCode = $("ap-code").textContent.trim();
const mine = new Map(); // question id -> the option this phone answered
let view = { question: null };
let picked = null; // the option tapped, not yet confirmed
let polling = null;

const socket = audienceSocket({ role: "phone", contest: Number(page.dataset.contest) }, {
  onView: (next) => (next.full ? startPolling(next.reason) : draw(next)),
  onStatus,
});

function onStatus(status, detail) {
  if (polling) return;
  if (status === "connected") banner("");
  else if (status === "refused") banner(detail || "无法连接，请重新扫描二维码");
  else banner("连接中断，正在重新连接…");
}

function banner(text, tone = "bad") {
  $("ap-banner").hidden = !text;
  $("ap-banner").textContent = text;
  $("ap-banner").dataset.tone = tone;
}

/** Beyond the connection budget: the view over HTTP every few seconds. */
function startPolling(reason) {
  if (polling) return;
  socket.disconnect();
  banner(`${reason}，已改为每 ${page.dataset.poll} 秒刷新一次`, "info");
  const poll = async () => {
    try {
      const response = await fetch(page.dataset.viewUrl, { credentials: "same-origin" });
      if (response.ok) draw(await response.json());
    } catch (error) {
      // the next poll tries again
    }
  };
  polling = setInterval(poll, Number(page.dataset.poll) * 1000);
  poll();
}

async function send(payload) {
  if (!polling) return ask(socket, EVENTS.AUDIENCE_ANSWER, payload);
  try {
    const response = await fetch(page.dataset.answerUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf }, body: JSON.stringify(payload),
    });
    return await response.json();
  } catch (error) {
    return { ok: false, reason: "网络连接中断，请稍后重试" };
  }
}

function draw(next) {
  view = next;
  const question = view.question;
  if (question && view.me && view.me.choice) mine.set(question.id, view.me.choice);
  if (!question) picked = null;
  drawStatus(question);
  drawOptions(question);
  drawWinner(view.winner);
}

function drawStatus(question) {
  const choice = question ? mine.get(question.id) : null;
  let headline = "请等待主持人出题";
  let detail = "题目出现后，在这里作答";
  let tone = "";
  if (question && question.phase === "open") {
    headline = choice ? `已提交：${choice}` : "请作答";
    detail = choice ? "等待公布答案" : "选择一项，再点「确认提交」";
  } else if (question && question.phase === "closed") {
    headline = "答题已截止";
    detail = choice ? `您的答案：${choice}，等待公布答案` : "您未作答本题";
  } else if (question && question.phase === "revealed") {
    headline = choice === question.answer ? "回答正确 ✓" : choice ? "回答错误" : `正确答案：${question.answer}`;
    detail = choice ? `正确答案：${question.answer}，您的答案：${choice}` : "您未作答本题";
    tone = choice === question.answer ? "right" : choice ? "wrong" : "";
  }
  $("ap-headline").textContent = headline;
  $("ap-detail").textContent = detail;
  document.querySelector(".ap-status").dataset.tone = tone;
}

function drawOptions(question) {
  $("ap-question").hidden = !question;
  if (!question) return;
  const choice = mine.get(question.id);
  const open = question.phase === "open" && !choice;
  const counts = countsOf(view);
  $("ap-stem").textContent = question.stem;
  $("ap-options").replaceChildren(...question.options.map((text, index) => {
    const letter = LETTERS[index];
    const button = element("button", "ap-option");
    button.type = "button";
    button.dataset.letter = letter;
    button.disabled = !open;
    button.dataset.state = optionState(question, letter, choice);
    button.append(element("span", "ap-letter", letter), element("span", "ap-text", text));
    if (counts) button.append(element("span", "ap-count", `${counts.counts[index]}人`));
    button.addEventListener("click", () => pick(letter));
    const item = element("li");
    item.append(button);
    return item;
  }));
  $("ap-confirm").hidden = !(open && picked);
  $("ap-confirm").textContent = picked ? `确认提交 ${picked}` : "确认提交";
}

function optionState(question, letter, choice) {
  if (question.phase === "revealed") {
    if (letter === question.answer) return "right";
    return letter === choice ? "wrong" : "faded";
  }
  return letter === (choice || picked) ? "picked" : "";
}

function pick(letter) {
  picked = letter;
  drawOptions(view.question);
}

$("ap-confirm").addEventListener("click", async () => {
  const question = view.question;
  if (!question || !picked) return;
  $("ap-confirm").disabled = true;
  const ack = await send({ question: question.id, choice: picked });
  $("ap-confirm").disabled = false;
  if (ack.ok || ack.choice) mine.set(question.id, ack.choice);
  picked = null;
  draw(view);
  if (!ack.ok) $("ap-detail").textContent = ack.reason;
});

function drawWinner(winner) {
  $("ap-winner").hidden = !winner;
  if (!winner) return;
  const me = winner.code === myCode;
  $("ap-winner").dataset.me = me ? "yes" : "no";
  $("ap-winner-code").textContent = winner.code;
  $("ap-winner-note").textContent = me ? "恭喜您中奖！请凭此页面到工作人员处领奖" : winner.company || "";
}
