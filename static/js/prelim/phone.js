// The preliminary round's answering page. The server decides everything: which question, how
// much time is left (remaining_ms, counted down here from the moment the reply arrived, so the
// phone's own clock setting does not matter), whether an answer counts. Each answer is sent the
// moment it is confirmed; offline, it is resent until the question's time (plus the server's
// grace) is over, then the page asks the server where things stand.
import { ConnectionNotice } from "../team/connection_notice.js";

const root = document.getElementById("pp");
const base = root.dataset.base;
const csrf = document.querySelector("meta[name='csrf-token']").content;
const notice = new ConnectionNotice(document.getElementById("pp-banner"));
const $ = (id) => document.getElementById(id);
const RETRY_MS = 2000;

let state = null;
let deadline = 0; // performance.now() when the current question's time runs out
let ticker = null;
let chosen = new Set();
let sending = false;

function show(phase) {
  root.dataset.phase = phase;
  for (const id of ["pp-loading", "pp-question", "pp-ready", "pp-result", "pp-closed"]) {
    $(id).hidden = id !== `pp-${phase}`;
  }
}

async function call(path, body) {
  const options = body === undefined ? {} : {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify(body),
  };
  const response = await fetch(base + path, { credentials: "same-origin", cache: "no-store", ...options });
  if (response.status >= 500) throw new Error(`server ${response.status}`);
  const data = await response.json();
  return { status: response.status, data };
}

async function load() {
  try {
    const { data } = await call("/state");
    notice.clear();
    render(data);
  } catch (error) {
    notice.lost();
    setTimeout(load, RETRY_MS);
  }
}

function render(data) {
  if (data.relogin) {
    $("pp-closed-text").textContent = data.reason;
    show("closed");
    return;
  }
  state = data;
  clearInterval(ticker);
  $("pp-progress").textContent = "";
  $("pp-clock").textContent = "";
  if (data.phase === "question") return renderQuestion(data.question);
  if (data.phase === "ready") {
    if (root.dataset.autostart === "1") {
      root.dataset.autostart = "0";
      history.replaceState(null, "", base);
      return start();
    }
    $("pp-ready-text").textContent = readyText(data);
    return show("ready");
  }
  if (data.phase === "result") return renderResult(data);
  $("pp-closed-text").textContent = data.allowance.reason || "暂不能答题";
  show("closed");
}

function readyText(data) {
  const left = data.allowance.total - data.allowance.used;
  return `答题时间至 ${data.window.end}（北京时间），您还可答 ${left} 次。`;
}

function renderQuestion(question) {
  chosen = new Set();
  sending = false;
  $("pp-progress").textContent = `第 ${question.number} / ${question.total} 题`;
  $("pp-type").textContent = question.type === "multi" ? "多选题（可选多项，选好后点「确定」）" : `${question.type_label}题`;
  $("pp-stem").textContent = question.stem;
  $("pp-note").textContent = "";
  const list = $("pp-options");
  list.replaceChildren();
  question.options.forEach((option, index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "pp-option";
    button.dataset.value = option.value;
    const label = question.type === "true_false" ? "" : String.fromCharCode(65 + index);
    if (label) {
      const mark = document.createElement("span");
      mark.className = "pp-letter";
      mark.textContent = label;
      button.append(mark);
    }
    const text = document.createElement("span");
    text.textContent = option.text;
    button.append(text);
    button.addEventListener("click", () => choose(question, option.value));
    list.append(button);
  });
  $("pp-confirm").hidden = true;
  $("pp-confirm").onclick = () => submit(question);
  show("question");
  deadline = performance.now() + question.remaining_ms;
  tick();
  ticker = setInterval(tick, 250);
}

function choose(question, value) {
  if (sending) return;
  if (question.type === "multi") {
    chosen.has(value) ? chosen.delete(value) : chosen.add(value);
  } else {
    chosen = new Set([value]);
  }
  for (const button of $("pp-options").children) {
    button.classList.toggle("pp-chosen", chosen.has(button.dataset.value));
  }
  $("pp-confirm").hidden = chosen.size === 0;
  $("pp-confirm").textContent = question.type === "multi" ? `确定（已选 ${chosen.size} 项）` : "确定";
}

function tick() {
  const left = Math.max(0, deadline - performance.now());
  const seconds = Math.ceil(left / 1000);
  $("pp-clock").textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
  root.dataset.hurry = seconds <= 10 ? "on" : "off";
  if (left <= 0) {
    clearInterval(ticker);
    if (!sending) {
      $("pp-note").textContent = "时间到";
      lockOptions();
      setTimeout(load, state.grace_ms + 300);
    }
  }
}

function lockOptions() {
  for (const button of $("pp-options").children) button.disabled = true;
  $("pp-confirm").hidden = true;
}

async function submit(question) {
  if (sending || chosen.size === 0) return;
  sending = true;
  lockOptions();
  $("pp-note").textContent = "正在提交…";
  const body = { attempt: question.attempt, position: question.position, question: question.id,
                 choice: [...chosen].sort().join("") };
  const giveUpAt = deadline + state.grace_ms;
  for (;;) {
    try {
      const { data } = await call("/answer", body);
      notice.clear();
      if (!data.ok) {
        $("pp-note").textContent = data.reason;
        setTimeout(() => render(data), 1500);
      } else {
        render(data);
      }
      return;
    } catch (error) {
      notice.lost();
      if (performance.now() > giveUpAt) {
        setTimeout(load, RETRY_MS);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}

async function start() {
  $("pp-start").disabled = true;
  $("pp-again").disabled = true;
  try {
    const { data } = await call("/start", {});
    notice.clear();
    render(data);
  } catch (error) {
    notice.lost();
    setTimeout(load, RETRY_MS);
  } finally {
    $("pp-start").disabled = false;
    $("pp-again").disabled = false;
  }
}

function duration(ms) {
  const seconds = Math.round(ms / 1000);
  return seconds >= 60 ? `${Math.floor(seconds / 60)}分${String(seconds % 60).padStart(2, "0")}秒` : `${seconds}秒`;
}

function renderResult(data) {
  const result = data.result;
  $("pp-result-title").textContent = result.void ? "本次答题已作废（离开页面次数过多）" : "答题完成";
  $("pp-score").textContent = `${result.score} / ${result.full_marks}`;
  $("pp-time").textContent = duration(result.elapsed_ms);
  $("pp-rank").textContent = result.rank ? `${result.rank} / ${result.ranked}` : "—";
  $("pp-best").textContent = result.best_score === null ? "" : `计入排名的成绩：${result.best_score} 分`;
  const company = result.company;
  $("pp-company").textContent = company
    ? `「${company.name}」单位排名第 ${company.rank} / ${company.companies}，参与 ${company.participants} 人，参与率 ${company.rate}%`
    : "";
  const allowance = data.allowance;
  $("pp-left").textContent = allowance.can_start
    ? `还可答 ${allowance.total - allowance.used} 次${allowance.today_left !== null ? `（今天 ${allowance.today_left} 次）` : ""}`
    : allowance.reason;
  $("pp-again").hidden = !allowance.can_start;
  $("pp-review-note").textContent = result.review_note || (result.review ? "本次试卷与正确答案：" : "");
  const list = $("pp-review");
  list.replaceChildren();
  for (const item of result.review || []) {
    const entry = document.createElement("li");
    entry.className = item.correct ? "pp-right" : "pp-wrong";
    const stem = document.createElement("p");
    stem.className = "pp-review-stem";
    stem.textContent = `${item.number}. ${item.stem}`;
    entry.append(stem);
    for (const option of item.options) {
      const line = document.createElement("p");
      line.textContent = `${option.label}. ${option.text}`;
      entry.append(line);
    }
    const verdict = document.createElement("p");
    verdict.className = "pp-verdict";
    verdict.textContent = `您的答案：${item.given} · 正确答案：${item.right} · 得 ${item.points} 分`;
    entry.append(verdict);
    for (const [label, text] of [["解析", item.explanation], ["政策出处", item.source]]) {
      if (!text) continue;
      const line = document.createElement("p");
      line.className = "pp-explain";
      line.textContent = `${label}：${text}`;
      entry.append(line);
    }
    list.append(entry);
  }
  show("result");
}

function reportLeave() {
  if (document.visibilityState === "hidden" && state && state.phase === "question") {
    fetch(`${base}/leave`, {
      method: "POST", keepalive: true, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ attempt: state.question.attempt }),
    }).catch(() => {});
  } else if (document.visibilityState === "visible" && state && state.phase === "question" && !sending) {
    load();
  }
}

$("pp-start").addEventListener("click", start);
$("pp-again").addEventListener("click", start);
document.addEventListener("visibilitychange", reportLeave);
window.addEventListener("offline", () => notice.lost());
window.addEventListener("online", () => notice.back());
load();
