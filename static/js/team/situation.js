// What the phone shows for a team view: pure functions of the view and of what this phone did
// itself (a press on its way, a lockout), so that a reload, a reconnect or a second phone of the
// same team always land on the same screen. No DOM here.
import { VERDICT_LABELS, buzzerCount, teamLabel, teamOf } from "/static/js/live/names.js";
import { behindText } from "/static/js/live/race.js";

const BUZZ_KINDS = ["buzzer", "tiebreak"];
const DECIDED = ["judged", "revealed", "turn_over", "resolved"];

const STAGE_INTROS = {
  required: "各队按座次依次作答，请看大屏幕",
  speed: "各队依次在限时内连续答题，请看大屏幕",
  buzzer: "主持人读完题并宣布开始后，按下方按钮抢答",
  risk: "按当前得分从高到低，各队依次选择分值",
  tiebreak: "加赛抢答决出名次，主持人宣布开始后再按",
};

/** Verdict words from the answering team's own point of view. */
const MY_VERDICTS = { ...VERDICT_LABELS, abstain: "本队已放弃", pass: "本队选择了过" };

/**
 * Everything the screen shows now.
 * @param {object|null} view  the team view (docs/protocol.md), or null before the first snapshot
 * @param {{pressing: boolean, lockedUntil: number|null, now: number, online: boolean}} local
 * @returns {{mode: "info"|"buzz"|"answer"|"tiers", stageLine: string, headline: string,
 *            detail: string, tone: string, clock: boolean, buzz: object|null}}
 */
export function describe(view, local) {
  if (view == null) return info("", "正在连接…", "请稍候");
  if (view.status === "unavailable") return info("", view.problem || "比赛尚未就绪", "请稍候，工作人员正在准备");
  if (view.status === "not_created") return info(view.title, "已加入 ✓", "等待比赛开始，请保持此页面打开", "ok");
  if (view.status === "finished") return finished(view);
  const stage = view.stage;
  if (stage == null) return betweenStages(view);
  const me = view.me || {};
  const line = stageLine(stage);
  if (me.can_choose_tier) {
    return { ...info(line, "轮到本队选择分值", "选定后不能更改；也可以放弃本轮"), mode: "tiers", clock: true };
  }
  if (me.can_answer) {
    const headline = BUZZ_KINDS.includes(stage.kind) ? "你们抢到了！" : "轮到本队作答";
    return { ...info(line, headline, "请在下方选择答案，确认后提交"), mode: "answer", clock: true, tone: "mine" };
  }
  if (BUZZ_KINDS.includes(stage.kind) && takesPart(view, stage)) return buzzing(view, stage, local, line);
  return turnBased(view, stage, line);
}

function info(stageLine, headline, detail = "", tone = "") {
  return { mode: "info", stageLine, headline, detail, tone, clock: false, buzz: null };
}

/** "抢答题 · 第 3/20 题" */
export function stageLine(stage) {
  if (stage.kind === "risk") return stage.tier != null ? `${stage.title} · ${stage.tier} 分题` : stage.title;
  if (stage.kind === "speed" && stage.packet_position) {
    return `${stage.title} · 第 ${stage.packet_position}/${stage.packet_size} 题`;
  }
  if (stage.question_number == null) return stage.title;
  // The buzzer stage counts toward its plan (buzzerCount); the tiebreak shows no total.
  if (stage.kind === "buzzer") return `${stage.title} · ${buzzerCount(stage)}`;
  const total = stage.kind === "required" && stage.question_total ? `/${stage.question_total}` : "";
  return `${stage.title} · 第 ${stage.question_number}${total} 题`;
}

function finished(view) {
  const me = view.me || {};
  const line = (view.standings || []).find((entry) => entry.team === me.team);
  const ceremony = view.suspense && view.suspense.mode === "ceremony";
  if (!line && ceremony) return info(view.title, "成绩揭晓中", "名次从最后一名起逐一揭晓，请看大屏幕");
  if (!line) return info(view.title, "比赛结束", "感谢参赛");
  const prize = line.prize ? ` · ${line.prize}` : "";
  return info(view.title, "比赛结束", `本队第 ${line.place} 名${prize}，最终得分 ${line.score}`, "ok");
}

function betweenStages(view) {
  if (view.next_stage) return info(view.title, `下一环节：${view.next_stage}`, "等待主持人开始");
  return info(view.title, "全部环节已结束", "等待主持人公布结果");
}

/** A tiebreak is played by the tied teams only; everyone else watches. */
function takesPart(view, stage) {
  if (stage.kind !== "tiebreak") return true;
  return (stage.remaining || []).includes(view.me.team);
}

/** The buzzer stages: the message above and the state of the big button. */
function buzzing(view, stage, local, line) {
  const buzz = buzzState(view, stage, local);
  const [headline, detail, tone] = buzzMessage(view, stage, buzz.state, view.me);
  const clock = stage.phase === "buzzing" || stage.phase === "answering";
  return { mode: "buzz", stageLine: line, headline, detail, tone, clock, buzz };
}

/**
 * The big button: locked, armed, pressed, won, lost, foul, done or offline.
 * Won, lost and foul come from the view only, so they survive a reload.
 */
export function buzzState(view, stage, local) {
  const me = view.me;
  if ((stage.fouls || []).includes(me.team)) return { state: "foul", label: "犯规", sub: "提前按下，本题不能再抢答" };
  const taker = buzzWinner(stage);
  if (taker != null) {
    if (taker === me.team) return { state: "won", label: "你们抢到了！", sub: wonSub(stage) };
    const winner = teamOf(view, taker);
    return { state: "lost", label: "先抢到", winner: teamLabel(view, taker), winnerSeat: winner ? winner.seat : null,
             sub: behindText(stage.race, me.team) };
  }
  if (!local.online) return { state: "offline", label: "网络已断开", sub: "恢复后才能抢答" };
  if (me.out) return { state: "done", label: "本题已作答", sub: "等待下一题" };
  if (local.pressing) return { state: "pressed", label: "已按下", sub: "" };
  if (stage.phase === "buzzing") {
    if (!me.can_buzz && lockedOut(local)) return { state: "locked", label: "锁定中", sub: "提前按下，稍后可抢" };
    return { state: "armed", label: "抢答", sub: "按下即抢" };
  }
  if (DECIDED.includes(stage.phase)) return { state: "done", label: verdictWords(stage) || "本题结束", sub: "等待下一题" };
  return { state: "locked", label: "等待主持人", sub: stage.phase === "reading" ? "宣布开始后再按" : "" };
}

/**
 * The team that took the question by buzzing, while it answers and once it is decided. Not
 * stage.first_buzz: with a second chance the question reopens and the first winner is history.
 */
function buzzWinner(stage) {
  return stage.phase === "answering" || DECIDED.includes(stage.phase) ? stage.holder : null;
}

/**
 * Under the lockout rule an early press holds the team back for a moment. The view's can_buzz is
 * worked out when the view is made and no change comes when the lockout ends, so the phone times
 * the lockout itself (from the EarlyBuzz event) and otherwise shows every team that is not out as
 * armed while the buzzers are open; a press that is still too early is refused by the server.
 */
function lockedOut(local) {
  return local.lockedUntil != null && local.now < local.lockedUntil;
}

function wonSub(stage) {
  if (stage.phase === "answering") return "请作答";
  return verdictWords(stage);
}

function verdictWords(stage) {
  return stage.verdict ? VERDICT_LABELS[stage.verdict] || "" : "";
}

/** The words above the buzz button. Returns [headline, detail, tone]. */
function buzzMessage(view, stage, state, me) {
  const verdict = verdictWords(stage);
  const decided = DECIDED.includes(stage.phase);
  switch (state) {
    case "foul":
      return ["犯规", "提前按下抢答键，本题失去抢答资格", "bad"];
    case "won":
      if (decided) {
        const headline = stage.holder === me.team ? MY_VERDICTS[stage.verdict] || "本题结束" : "本题结束";
        return [headline, `${submittedNote(me)}${revealNote(stage)}`, toneOf(stage)];
      }
      return ["请口头回答主持人", "本队抢到了本题，由主持人判定", "mine"];
    case "lost":
      if (decided) return [holderVerdict(view, stage), revealNote(stage), ""];
      return ["请看大屏幕", `本题由 ${teamLabel(view, stage.holder)} 作答`, ""];
    case "offline":
      return ["网络已断开", "正在重新连接，恢复后自动回到当前题目", "bad"];
    default:
      break;
  }
  if (stage.phase === "intro") return [`${stage.title}即将开始`, STAGE_INTROS[stage.kind] || "", ""];
  if (stage.phase === "reading" && stage.interrupted) {
    // A server restart voided the open buzzers (docs/reliability.md); presses wait for a new start.
    return ["服务器刚刚恢复", "请等待主持人重新开始抢答", "go"];
  }
  if (stage.phase === "reading") return ["请听主持人读题", "主持人宣布开始抢答后再按，不要提前按", ""];
  if (stage.phase === "buzzing") return ["开始抢答！", me.out ? "本队本题已不能抢答" : "看准了就按", "go"];
  if (decided) return [verdict ? `本题结束：${verdict}` : "本题结束", revealNote(stage), ""];
  return ["请看大屏幕", "", ""];
}

function revealNote(stage) {
  if (stage.verdict === "abstain" || stage.question == null) return "等待主持人继续";
  return stage.phase === "revealed" ? "答案已揭晓，请看大屏幕" : "等待主持人公布答案";
}

function toneOf(stage) {
  if (stage.verdict === "right") return "ok";
  if (stage.verdict === "wrong" || stage.verdict === "timeout") return "bad";
  return "";
}

/** "3号 某某队：回答正确" for the holder of a decided question. */
function holderVerdict(view, stage) {
  const verdict = verdictWords(stage);
  if (stage.holder == null) return verdict ? `本题结束：${verdict}` : "本题结束";
  return `${teamLabel(view, stage.holder)}：${verdict || "本题结束"}`;
}

/** Required, speed and risk stages: whose turn it is, and what came of it. */
function turnBased(view, stage, line) {
  const me = view.me;
  const mine = stage.holder != null && stage.holder === me.team;
  const holder = stage.holder != null ? teamLabel(view, stage.holder) : "";
  if (stage.kind === "tiebreak") return tiebreakWatcher(view, stage, me, line);
  if (stage.phase === "intro") return info(line, `${stage.title}即将开始`, STAGE_INTROS[stage.kind] || "");
  if (DECIDED.includes(stage.phase)) return decidedTurn(view, stage, line, mine, holder);
  if (stage.phase === "choosing") {
    return info(line, mine ? "轮到本队选择分值" : `${holder} 正在选择分值`, mine ? "请告诉主持人" : "请看大屏幕");
  }
  if (mine && me.submitted != null) return submitted(stage, me, line);
  if (stage.kind === "speed") return speedTurn(stage, line, mine, holder);
  const tier = stage.kind === "risk" && stage.tier != null ? `选择了 ${stage.tier} 分，` : "";
  if (mine) return { ...info(line, "轮到本队作答", `${tier}请口头回答主持人`, "mine"), clock: true };
  return { ...info(line, `${holder} 作答中`, `${tier ? tier.replace(/，$/, "") + " · " : ""}请看大屏幕`), clock: true };
}

/** A team watching a tiebreak: placed by it already, or never part of it (then: who plays it). */
function tiebreakWatcher(view, stage, me, line) {
  if ((stage.placed_top || []).includes(me.team)) return info(line, "本队加赛胜出", "名次已确定，请看大屏幕", "ok");
  if ((stage.placed_bottom || []).includes(me.team)) return info(line, "本队加赛结束", "名次已确定，请看大屏幕");
  const players = (stage.order || []).map((id) => teamLabel(view, id)).join("、");
  return info(line, "本队不参加此次加赛", `${players} 同分加赛，本队名次不变，请看大屏幕`);
}

function speedTurn(stage, line, mine, holder) {
  const count = `已答对 ${stage.right_count || 0} 题`;
  if (mine) return { ...info(line, "本队速答中", `${count} · 请口头作答，可以说“过”`, "mine"), clock: true };
  return { ...info(line, `${holder} 速答中`, `${count} · 请看大屏幕`), clock: true };
}

function decidedTurn(view, stage, line, mine, holder) {
  const me = view.me;
  if (stage.phase === "turn_over" && stage.kind === "speed") {
    const who = mine ? "本队" : holder;
    return info(line, `${who}速答结束`, `答对 ${stage.right_count || 0} 题`, mine ? "mine" : "");
  }
  if (mine) {
    return info(line, MY_VERDICTS[stage.verdict] || "本题结束", `${submittedNote(me)}${revealNote(stage)}`, toneOf(stage));
  }
  return info(line, holderVerdict(view, stage), revealNote(stage));
}

/** "本队答案：B · " once the team answered on its phone. */
function submittedNote(me) {
  return me.submitted != null ? `本队答案：${me.submitted} · ` : "";
}

function submitted(stage, me, line) {
  return { ...info(line, `已提交：${me.submitted}`, "等待判定", "mine"), clock: true };
}

/** A stable key for "the same question": a new key resets a half-made choice. */
export function questionKey(stage) {
  if (!stage || !stage.question) return "";
  return `${stage.index}:${stage.turn}:${stage.question_number}:${stage.question.id}`;
}
