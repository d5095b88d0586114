// The projector page: follows the /display view and shows the screen of the moment — the join
// screen before the start, a stage's title card, the question with its clock and the
// scoreboard, the standings between stages, the final standings at the end. The decisions in
// each change (change.events) drive the moments and sounds: a buzz, a foul, a verdict.

import { LiveConnection } from "/static/js/live/connection.js";
import { VERDICT_LABELS, buzzerCount, element, setText, teamLabel, teamOf } from "/static/js/live/names.js";
import { raceText } from "/static/js/live/race.js";
import { Clock } from "/static/js/display/clock.js";
import { Ceremony } from "/static/js/display/ceremony.js";
import { FinalStandings } from "/static/js/display/final.js";
import { fitBox, fitLines } from "/static/js/display/fit.js";
import { JoinScreen } from "/static/js/display/join.js";
import { Moments } from "/static/js/display/moments.js";
import { QuestionZone } from "/static/js/display/question.js";
import { Scoreboard, signed } from "/static/js/display/scoreboard.js";
import { Sounds } from "/static/js/display/sounds.js";
import { showIntro, showTiebreak, showTiers } from "/static/js/display/stages.js";

const IN_PLAY = new Set(["reading", "buzzing", "answering", "choosing"]);
const TIER_TURN_MS = 1800; // risk: how long the chosen card stays turned before the question
const NEUTRAL_HOLDER = { reading: "请听题", buzzing: "请抢答！", choosing: "选择分值", intro: "" };
// A server restart voided the open buzzers (docs/reliability.md): the hall waits for a new start.
const INTERRUPTED_HOLDER = "服务器已恢复 · 请等待重新开始抢答";

const app = document.getElementById("app");
const $ = (id) => document.getElementById(id);
const sounds = new Sounds(app.dataset.sounds, $("sound-hint"));
const play = (name) => sounds.play(name);
const join = new JoinScreen($("join-view"), Number(app.dataset.refresh));
const board = new Scoreboard($("board"));
const question = new QuestionZone($("question"));
const moments = new Moments(app);
const final = new FinalStandings($("final-rows"), play);
const ceremony = new Ceremony($("final-rows"), play);
let ceremonySeen = false; // this page showed the ceremony: the final standings stay in its drawing
// Suspense (docs/rules.md 悬念): the board's badge while the hall does not see the real scores.
const SUSPENSE_BADGES = { hidden: "比分已隐藏\n颁奖时揭晓", frozen: "比分已冻结" };
let tierHoldUntil = 0; // risk: show the turned card until then
let tierTimer = null;
let current = null; // the last view drawn

const clock = new Clock($("clock"), () => connection.serverNow(), play);
const connection = new LiveConnection(
  "display",
  { contest: Number(app.dataset.contest), token: app.dataset.token },
  { onView: (view, events) => draw(view, events), onStatus: showConnection },
);
window.addEventListener("resize", () => current && fitAll());

/** Which screen a view calls for. */
function modeOf(view) {
  if (view.status === "finished") return "final";
  if (view.join_codes) return "join"; // the organizer shows the join codes again (a phone must rejoin)
  const started = view.status === "running" && (view.stage || (view.stages || []).some((s) => s.played));
  if (!started) return "join";
  if (!view.stage) return "between";
  return view.stage.phase === "intro" ? "intro" : "play";
}

function draw(view, events) {
  current = view;
  sounds.muted = Boolean(view.muted);
  if (events.some((event) => event.kind === "TierChosen")) holdTiers();
  const mode = modeOf(view);
  $("join-view").hidden = mode !== "join";
  $("live-view").hidden = !["between", "intro", "play"].includes(mode);
  $("final-view").hidden = mode !== "final";
  if (mode === "join" && view.join_codes && $("join-view").dataset.codes === "hidden") {
    window.location.reload(); // the page was drawn without the codes: fetch it again with them
    return;
  }
  if (mode === "join") join.show(view);
  else if (mode === "final") drawFinal(view);
  else drawLive(view, mode);
  react(view, events);
  fitAll();
}

/** The end: the ceremony while the host uncovers the places, else the final standings. */
function drawFinal(view) {
  const inCeremony = suspenseOf(view) === "ceremony";
  ceremonySeen = ceremonySeen || inCeremony;
  $("final-view").classList.toggle("is-ceremony", inCeremony);
  setText("final-sub", inCeremony ? "成绩揭晓" : "最终排名");
  if (ceremonySeen) ceremony.show(view);
  else final.show(view);
}

/** What the hall sees of the scores: null (the real ones), "hidden", "frozen" or "ceremony". */
function suspenseOf(view) {
  return (view.suspense && view.suspense.mode) || null;
}

function drawLive(view, mode) {
  const stage = view.stage;
  const suspense = suspenseOf(view);
  $("live-view").classList.toggle("mode-between", mode === "between");
  $("live-view").dataset.suspense = suspense || "";
  const badge = $("board-badge");
  badge.hidden = !SUSPENSE_BADGES[suspense];
  badge.className = `d-board-badge is-${suspense}`;
  badge.textContent = SUSPENSE_BADGES[suspense] || "";
  setText("between-title", suspense === "hidden" ? "比分已隐藏" : suspense === "frozen" ? "当前排名（已冻结）" : "当前排名");
  setText("contest-title", $("app").dataset.title || view.title); // the branding's title, if the organizer set one
  drawHeader(view, stage);
  $("intro").hidden = mode !== "intro";
  $("between").hidden = mode !== "between";
  $("play").hidden = mode !== "play";
  if (mode === "intro") showIntro(view, stage);
  if (mode === "between") setText("between-next", betweenNote(view));
  if (mode === "play") drawPlay(view, stage);
  else {
    clock.show(null);
    moments.clearStamp();
  }
  board.update(view, {
    resort: !stage || !IN_PLAY.has(stage.phase),
    holder: stage ? stage.holder : null,
    out: stage ? stage.out || [] : [],
  });
}

/** Between stages: what comes next. */
function betweenNote(view) {
  if (view.next_stage) return `下一环节：${view.next_stage}`;
  if ((view.standings || []).some((line) => line.undecided)) return "同分队伍争夺奖项，等待加赛";
  return "全部环节已结束";
}

function drawHeader(view, stage) {
  const pips = (view.stages || []).map((s) => {
    const pip = element("li", "d-pip", s.title);
    pip.classList.toggle("played", s.played);
    pip.classList.toggle("current", Boolean(stage && !s.played && s.kind === stage.kind && s.title === stage.title));
    return pip;
  });
  $("stage-pips").replaceChildren(...pips);
  setText("stage-title", stage ? stage.title : "");
  setText("stage-progress", stage ? progressOf(stage) : "");
}

/** "第 3 / 16 题" or, where turns matter more than questions, "第 2 / 8 队". */
function progressOf(stage) {
  if (stage.phase === "intro") return "";
  if (stage.kind === "speed" || stage.kind === "risk") {
    return stage.turn >= 0 ? `第 ${stage.turn + 1} / ${(stage.order || []).length} 队` : "";
  }
  if (stage.question_number == null) return "";
  // The buzzer stage counts toward its plan (buzzerCount); the tiebreak plays until the places
  // are decided, so it shows no total.
  if (stage.kind === "buzzer") return buzzerCount(stage);
  return stage.kind === "required" ? `第 ${stage.question_number} / ${stage.question_total} 题` : `第 ${stage.question_number} 题`;
}

function drawPlay(view, stage) {
  const playBox = $("play");
  playBox.className = `d-play kind-${stage.kind}`;
  drawHolder(view, stage);
  drawFlags(view, stage);
  const speed = stage.kind === "speed";
  $("speed").hidden = !speed;
  if (speed) drawSpeed(stage);
  const tiersShown = stage.kind === "risk" && (!stage.question || Date.now() < tierHoldUntil);
  $("tiers").hidden = !tiersShown;
  if (tiersShown) showTiers($("tiers"), view, stage, stage.tier);
  $("tiebreak").hidden = stage.kind !== "tiebreak";
  if (stage.kind === "tiebreak") showTiebreak($("tiebreak"), view, stage);
  const notice = noticeOf(view, stage);
  $("notice").hidden = notice === null;
  if (notice) {
    setText("notice-title", notice.title);
    setText("notice-detail", notice.detail);
  }
  question.show(tiersShown || notice ? null : stage);
  clock.show(stage);
}

/** A message in place of the question: a speed turn is over, or a tiebreak has placed everyone. */
function noticeOf(view, stage) {
  if (stage.kind === "speed" && stage.phase === "turn_over") {
    return { title: "本轮结束", detail: `${teamLabel(view, stage.holder)}  答对 ${stage.right_count ?? 0} 题` };
  }
  // Once the host reveals the deciding question's answer, the hall sees it (the places stay in #tiebreak).
  if (stage.kind === "tiebreak" && stage.phase === "resolved" && !(stage.question && stage.question.answer != null)) {
    return { title: "加赛结束", detail: "名次已决出" };
  }
  return null;
}

/** The team holding the question, in its colour, beside the question; else what happens now. */
function drawHolder(view, stage) {
  const holder = $("holder");
  const team = teamOf(view, stage.holder);
  holder.className = `d-holder ${team ? `team-${team.seat} has-team` : "team-none"}`;
  if (team && stage.verdict) holder.classList.add(`verdict-${stage.verdict}`);
  holder.querySelector(".d-holder-seat").textContent = team ? String(team.seat) : "";
  const interrupted = !team && stage.interrupted && stage.phase === "reading";
  holder.classList.toggle("interrupted", interrupted);
  holder.querySelector(".d-holder-name").textContent = team ? team.name : interrupted ? INTERRUPTED_HOLDER : NEUTRAL_HOLDER[stage.phase] || "";
  let tag = "";
  if (team && stage.kind === "risk" && stage.tier != null) tag = `${stage.tier}分题`;
  else if (team && stage.first_buzz === team.id) tag = "抢答成功";
  setText("holder-tag", tag);
}

/** Fouls of this question ("犯规") and the verdict, beside the holder. */
function drawFlags(view, stage) {
  const flags = [];
  const fouls = stage.fouls || [];
  if (fouls.length) {
    const flag = element("p", "d-flag foul");
    const seats = () => fouls.map((id) => `${teamOf(view, id)?.seat ?? "?"}号`).join("、");
    const names = fouls.length === 1 ? teamLabel(view, fouls[0]) : seats();
    flag.append(element("b", "", "犯规"), element("span", "", names));
    flags.push(flag);
  }
  if (stage.verdict && stage.kind !== "speed") {
    const tone = ["right", "wrong", "timeout"].includes(stage.verdict) ? stage.verdict : "other";
    flags.push(element("p", `d-flag verdict-${tone}`, VERDICT_LABELS[stage.verdict] || stage.verdict));
  }
  const race = raceText(view, stage.race);
  if (race) flags.push(element("p", "d-flag race", race));
  $("flags").replaceChildren(...flags);
}

function drawSpeed(stage) {
  const count = $("speed-right");
  const before = count.textContent;
  count.textContent = String(stage.right_count ?? 0);
  if (before !== count.textContent && Number(count.textContent) > Number(before)) {
    count.classList.remove("bump");
    void count.offsetWidth;
    count.classList.add("bump");
  }
  setText("speed-position", stage.packet_size ? `第 ${stage.packet_position} / ${stage.packet_size} 题` : "");
}

/** The moments and sounds of the decisions in a change (never for a snapshot). */
function react(view, events) {
  for (const event of events) {
    const stage = view.stage;
    switch (event.kind) {
      case "BuzzWon":
        play("buzz");
        moments.showTeam(view, event.team, "抢到答题权", { target: () => $("holder") });
        break;
      case "EarlyBuzz":
        play("wrong");
        moments.showTeam(view, event.team, event.policy === "foul" ? "犯规" : "提前抢答", {
          foul: true,
          detail: event.delta ? `${signed(event.delta)}分` : "暂停抢答",
        });
        break;
      case "Judged":
        judged(event, stage);
        break;
      case "TimedOut": {
        // The server's clock ran out: an answer's time, a buzz window (no team) or a speed window.
        play("time-up");
        const text = event.team == null ? `时间到 · ${VERDICT_LABELS.no_buzz}` : "时间到";
        if (!stage || stage.kind !== "speed") moments.showStamp(text, "time");
        break;
      }
      case "BuzzersClosed": // the host closed the buzzers before anyone pressed
        moments.showStamp(VERDICT_LABELS.no_buzz, "other");
        break;
      case "Abstained":
        moments.showStamp(VERDICT_LABELS.abstain, "other");
        break;
      case "DecisionUndone":
        moments.clear();
        break;
      default:
        break;
    }
  }
}

function judged(event, stage) {
  const speed = stage && stage.kind === "speed";
  if (event.verdict === "right") play("right");
  else if (event.verdict === "wrong") play("wrong");
  if (speed) return; // the running count shows it; stamps would flicker over a fast packet
  const delta = event.delta ? ` ${signed(event.delta)}` : "";
  const tone = event.verdict === "right" ? "right" : event.verdict === "wrong" ? "wrong" : "other";
  moments.showStamp(`${VERDICT_LABELS[event.verdict] || event.verdict}${delta}`, tone);
}

/** Risk: keep the tier cards up while the chosen one turns over, then show the question. */
function holdTiers() {
  tierHoldUntil = Date.now() + TIER_TURN_MS;
  window.clearTimeout(tierTimer);
  tierTimer = window.setTimeout(() => current && draw(current, []), TIER_TURN_MS + 20);
}

/** Shrink what would overflow: one-line names and titles, the question zone. */
function fitAll() {
  const visible = [$("join-view"), $("live-view"), $("final-view")].filter((view) => !view.hidden);
  visible.forEach((view) => fitLines(view));
  question.fit();
  for (const flag of $("flags").children) fitBox(flag, 0.5, "across");
}

function showConnection(status, detail) {
  const box = $("connection");
  if (status === "connected") {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  box.textContent = status === "refused" ? `大屏无法连接：${detail || "链接无效"}` : "连接中断，正在重连…";
}
