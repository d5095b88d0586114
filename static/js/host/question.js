// The question area: where the contest is (stage, phase, question number), who holds the
// question, the clock, and the question with its answer, explanation and source. The answer is
// always shown here; the "大屏未显示" mark says whether the hall has seen it yet.
import { remainingFraction, remainingMs, secondsLabel } from "/static/js/live/countdown.js";
import { PHASE_LABELS, TYPE_LABELS, VERDICT_LABELS, buzzerCount, element, setText, teamLabel } from "/static/js/live/names.js";
import { fill, show, teamTag } from "./dom.js";

const LETTERS = "ABCDEFGH";
const WARN_MS = 5000;

/** Everything in the question area that changes with the view (not the running clock). */
export function renderStage(view) {
  const stage = view.stage || null;
  renderWhere(view, stage);
  renderHolder(view, stage);
  renderFacts(view, stage);
  renderQuestion(view, stage);
}

function renderWhere(view, stage) {
  setText("contest-title", view.title || document.getElementById("contest-title").textContent);
  let where = "—";
  if (view.status === "unavailable") where = "比赛尚未就绪";
  else if (view.status === "not_created") where = "比赛未开始";
  else if (view.status === "finished") where = "比赛已结束";
  else if (stage) where = stage.title;
  else where = view.next_stage ? `环节间隙 · 下一环节：${view.next_stage}` : "所有环节已完成";
  setText("stage-title", where);
  setText("phase-label", stage ? PHASE_LABELS[stage.phase] || stage.phase : "");
  show("phase-label", Boolean(stage));
  // Speed counts within the team's packet and risk by tiers (see the facts), not through the pool.
  const counted = stage && stage.kind !== "speed" && stage.kind !== "risk" && stage.question_number != null
    && stage.question_total;
  setText("question-count", counted ? questionCount(stage) : "");
}

/** "第 3 / 16 题"; the buzzer stage counts toward its plan (see buzzerCount). */
function questionCount(stage) {
  if (stage.kind !== "buzzer") return `第 ${stage.question_number} / ${stage.question_total} 题`;
  return buzzerCount(stage);
}

/** Who holds the question, or what the stage is waiting for. */
function renderHolder(view, stage) {
  const box = document.getElementById("holder");
  const team = document.getElementById("holder-team");
  let caption = "";
  let note = "";
  let holder = null;
  if (view.status === "unavailable") caption = view.problem || "比赛尚未就绪";
  else if (view.status === "not_created") caption = "比赛未开始";
  else if (view.status === "finished") caption = "比赛已结束";
  else if (!stage) caption = view.next_stage ? "等待开始下一环节" : "所有环节已完成";
  else if (stage.phase === "intro") caption = `「${stage.title}」即将开始`;
  else if (stage.phase === "reading") caption = "读题中 · 尚未开始抢答";
  else if (stage.phase === "buzzing") caption = "抢答进行中，等待按键…";
  else if (stage.phase === "resolved") caption = "加赛已决出名次";
  else if (stage.holder != null) {
    holder = stage.holder;
    caption = stage.phase === "choosing" ? "选择分值" : stage.phase === "answering" ? "答题队伍" : "本题队伍";
  } else caption = PHASE_LABELS[stage.phase] || "";
  if (stage && stage.out && stage.out.length) {
    note = `本题出局：${stage.out.map((id) => teamLabel(view, id)).join("、")}`;
  }
  box.dataset.state = holder != null ? "held" : "none";
  setText("holder-caption", caption);
  fill(team, holder != null ? [teamTag(view, holder)] : []);
  team.dataset.team = holder != null ? String(holder) : "";
  setText("holder-note", note);
}

/** Progress facts by stage kind: speed count, risk tiers, tiebreak places. */
function renderFacts(view, stage) {
  const facts = [];
  const fact = (label, value, strong = false) => {
    const item = element("li", strong ? "hc-fact strong" : "hc-fact");
    item.append(element("span", "hc-k", label), element("b", "", value));
    facts.push(item);
  };
  if (stage) {
    if (stage.order && stage.order.length && stage.turn >= 0 && stage.kind !== "buzzer" && stage.kind !== "tiebreak") {
      fact("轮次", `第 ${stage.turn + 1} / ${stage.order.length} 队`);
    }
    if (stage.kind === "speed") {
      fact("答对", `${stage.right_count ?? 0} 题`, true);
      fact("本组进度", `第 ${stage.packet_position ?? 0} / ${stage.packet_size ?? "?"} 题`, true);
    }
    if (stage.kind === "risk") {
      fact("所选分值", stage.tier != null ? `${stage.tier} 分` : "未选", true);
      const left = (stage.tiers || []).map((tier) => `${tier}分 剩${(stage.tiers_left || {})[tier] ?? 0}`);
      fact("剩余题目", left.join(" · "));
    }
    if (stage.kind === "tiebreak") {
      const names = (ids) => (ids && ids.length ? ids.map((id) => teamLabel(view, id)).join("、") : "—");
      fact("已胜出", names(stage.placed_top), true);
      fact("已淘汰", names(stage.placed_bottom));
      fact("待定", names(stage.remaining), true);
    }
    if (stage.question && stage.question.points != null) fact("分值", `${stage.question.points} 分`);
  }
  fill(document.getElementById("stage-facts"), facts);
}

/** The question with its answer, the phone answer and the verdict. */
function renderQuestion(view, stage) {
  const question = stage ? stage.question : null;
  show("question", Boolean(question));
  show("question-empty", !question);
  if (!question) {
    setText("question-empty", waitingText(view, stage));
    return;
  }
  const meta = [TYPE_LABELS[question.type] || question.type, question.category, `题号 ${question.id}`];
  if (question.tier != null) meta.splice(1, 0, `${question.tier} 分档`);
  setText("question-meta", meta.filter(Boolean).join(" · "));
  setText("question-stem", question.stem);
  const answerLetters = letterSet(question);
  fill(document.getElementById("question-options"), (question.options || []).map((text, index) => {
    const letter = LETTERS[index];
    const right = answerLetters.has(letter);
    const item = element("li", right ? "hc-option correct" : "hc-option");
    item.append(element("span", "hc-letter", letter), element("span", "hc-option-text", text));
    if (right) item.append(element("span", "hc-tick", "✓ 正确"));
    return item;
  }));
  setText("question-answer", question.answer ?? "（答案未提供）");
  const revealed = Boolean(stage.revealed);
  setText("answer-secret", revealed ? "已向全场揭晓" : "大屏未显示");
  document.getElementById("answer-secret").dataset.revealed = String(revealed);
  renderSubmitted(stage);
  setText("question-explanation", question.explanation || "—");
  setText("question-source", question.source || "—");
  show("explanation-row", Boolean(question.explanation));
  show("source-row", Boolean(question.source));
}

/** What the empty question area says, so the host knows what comes next. */
function waitingText(view, stage) {
  if (view.status === "unavailable") return "请组织者先完成设置并标记为就绪";
  if (view.status === "not_created") return "比赛尚未开始 · 按「开始比赛」（空格）开始";
  if (view.status === "finished") return "比赛已结束 · 最终名次见右侧比分";
  if (!stage) return view.next_stage ? `下一环节：${view.next_stage}` : "所有环节已完成";
  if (stage.phase === "choosing") return "等待选择分值后出题";
  if (stage.phase === "intro") return `「${stage.title}」 · 按「${stage.kind === "speed" || stage.kind === "risk" ? "下一队" : "下一题"}」开始`;
  return "等待出题";
}

function renderSubmitted(stage) {
  const submitted = stage.submitted;
  show("submitted", submitted != null);
  setText("submitted-choice", submitted ?? "");
  const verdict = stage.verdict;
  show("verdict", verdict != null);
  const node = document.getElementById("verdict");
  // In the speed round the next question is up at once: the verdict shown is the previous one's.
  const previous = stage.kind === "speed" && stage.phase === "answering" ? "上一题：" : "";
  node.textContent = verdict ? previous + (VERDICT_LABELS[verdict] || verdict) : "";
  node.dataset.verdict = verdict || "";
  document.getElementById("submitted").dataset.verdict = verdict || "";
}

/** The option letters of a choice answer ("ABC", "A、C"), for marking the options. */
function letterSet(question) {
  if (!question.options || !question.options.length || question.answer == null) return new Set();
  return new Set(String(question.answer).toUpperCase().replace(/[^A-H]/g, "").split(""));
}

const CLOCK_LABELS = { buzzing: "抢答计时", answering: "答题计时", choosing: "选择计时" };

/**
 * The running clock, redrawn every frame from the server clock (deadline − server now). Only
 * touches the DOM when the shown second or state changes.
 */
export function clockDrawer() {
  const box = document.getElementById("clock");
  const fill = document.getElementById("clock-fill");
  let shown = "";
  return (view, serverNow) => {
    const stage = view && view.stage;
    const ms = remainingMs(stage, serverNow);
    const running = ms != null;
    let label = "计时";
    if (running) label = stage.kind === "speed" ? "速答时间窗口" : CLOCK_LABELS[stage.phase] || "计时";
    const state = !running ? "idle" : ms <= WARN_MS ? "warn" : "run";
    const digits = running ? secondsLabel(ms) : "—";
    const key = `${label}|${digits}|${state}|${Boolean(stage && stage.clock_stopped)}`;
    if (key !== shown) {
      shown = key;
      setText("clock-label", running ? label : stage && stage.clock_stopped ? "计时已停止，请判定" : "未计时");
      setText("clock-digits", digits);
      box.dataset.state = state;
    }
    fill.style.width = `${(running ? remainingFraction(stage, serverNow) : 0) * 100}%`;
  };
}
