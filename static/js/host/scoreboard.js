// The side of the console: the scoreboard (with each team's phone connection), the buzz log of
// the current question, and the connection states in the header.
import { element, setText, teamLabel } from "/static/js/live/names.js";
import { fill, minuteTime, teamTag } from "./dom.js";

const BUMP_MS = 900;

/** Whether team `id`'s phone is connected, from view.presence. */
export function phoneOnline(view, id) {
  return Boolean((view.presence || {})[`team:${id}`]);
}

/** Scoreboard rows in standing order; a changed score flashes with its difference. */
export function scoreboardRenderer() {
  const body = document.getElementById("scoreboard");
  let previous = null;
  return (view) => {
    const stage = view.stage || {};
    const scores = view.scores || {};
    const standings = view.standings && view.standings.length
      ? view.standings
      : (view.teams || []).map((team) => ({ team: team.id, place: null, score: null, prize: "" }));
    const rows = standings.map((line) => {
      const score = scores[String(line.team)];
      const row = element("tr", "hc-score-row");
      row.dataset.team = String(line.team);
      if (stage.holder === line.team) row.classList.add("is-holder");
      if ((stage.out || []).includes(line.team)) row.classList.add("is-out");
      const place = element("td", "num hc-place", line.place != null && view.status !== "not_created" ? line.place : "");
      const who = element("td", "hc-who");
      who.append(teamTag(view, line.team, true));
      if (line.prize) {
        const prize = element("span", "hc-prize", line.prize.replace(/奖$/, ""));
        prize.title = line.prize;
        who.append(prize);
      }
      // A tie across a prize boundary matters once every regular stage is played (then a tiebreak decides it).
      if (line.undecided && view.status === "running" && !view.next_stage) {
        const tie = element("span", "hc-tie", "加赛");
        tie.title = "同分且影响获奖，待加赛";
        who.append(tie);
      }
      const online = phoneOnline(view, line.team);
      const phone = element("td", "hc-phone");
      // Online is the normal case (a dot); an offline phone also says so in words.
      phone.append(element("span", online ? "hc-dot on" : "hc-dot off"));
      if (!online) phone.append(element("span", "hc-offline", "离线"));
      phone.title = online ? "手机已连接" : "手机未连接";
      phone.dataset.online = String(online);
      const cell = element("td", "num hc-score", score ?? "—");
      const before = previous && previous[String(line.team)];
      if (previous && score != null && before != null && before !== score) {
        const delta = score - before;
        cell.append(element("span", delta > 0 ? "hc-delta up" : "hc-delta down", delta > 0 ? `+${delta}` : `${delta}`));
        row.classList.add("bump");
        window.setTimeout(() => row.classList.remove("bump"), BUMP_MS);
      }
      row.append(place, who, phone, cell);
      return row;
    });
    fill(body, rows);
    previous = { ...scores };
    const tied = (view.pending_ties || []).length && view.status === "running" && !view.next_stage && !view.stage;
    setText("board-note", tied ? "有同分影响获奖，需要加赛" : "");
  };
}

const OUTCOMES = { won: "抢到", foul: "犯规", lockout: "锁定", refused: "未抢到" };
const SHORT_VERDICTS = { right: "答对", wrong: "答错", timeout: "超时", void: "无效" };

/**
 * The buzz log of the current question: team, press time, time since the buzzers opened, result.
 * `openings` are the server times the buzzers opened for this question (from the events seen).
 */
export function renderBuzzLog(view, openings) {
  const stage = view.stage || {};
  const buzzes = pressesInOrder(stage);
  const rows = buzzes.map((buzz) => {
    const pressed = buzz.pressed_at ?? buzz.arrived_at;
    const opened = [...openings].filter((at) => at <= pressed).pop();
    const row = element("tr", `hc-buzz ${buzz.outcome}`);
    const who = element("td");
    who.append(teamTag(view, buzz.team, true));
    if (isStation(buzz)) who.append(element("small", "hc-net", buzz.phone)); // a hardware buzzer, not a phone
    let since = "—";
    if (buzz.outcome !== "won" && opened == null) since = "开放前";
    else if (opened != null) since = `+${((pressed - opened) / 1000).toFixed(3)}`;
    const time = element("td", "hc-mono hc-time", minuteTime(pressed));
    const sinceCell = element("td", "num hc-mono", since);
    // The measured delay is what compensation used: the host can answer "we pressed first" at once.
    if (buzz.delay != null) sinceCell.append(element("small", "hc-net", `延迟 ${buzz.delay} ms`));
    // A phone whose timing is out of line (contest/fairness.py): the host sees it before anyone asks.
    if (buzz.flag) sinceCell.append(element("small", "hc-net hc-flag", `⚠ ${buzz.flag}`));
    row.title = pressDetails(buzz, pressed);
    row.append(who, time, sinceCell, element("td", "hc-outcome", outcomeText(stage, buzz)));
    return row;
  });
  fill(document.getElementById("buzz-log"), rows);
  document.getElementById("buzz-empty").hidden = rows.length > 0;
}

/** The row's tooltip: the phone, both clocks, the measured network and any refusal. */
function pressDetails(buzz, pressed) {
  const measured = buzz.delay != null ? `，测得单程延迟 ${buzz.delay} ms、时钟偏差 ${buzz.offset} ms` : "，手机时钟未知";
  const network = buzz.pressed_at != null ? `（到达晚于按下 ${buzz.arrived_at - buzz.pressed_at} ms${measured}）` : "";
  const phone = buzz.phone ? `${isStation(buzz) ? "" : "手机 "}${buzz.phone}：` : "";
  const refusal = buzz.reason ? `；${buzz.reason}` : "";
  const flag = buzz.flag ? `；可疑：${buzz.flag}` : "";
  return `${phone}按下 ${minuteTime(pressed)}，服务器收到 ${minuteTime(buzz.arrived_at)}${network}${refusal}${flag}`;
}

/** Whether a press came from a buzzer station's key ("抢答器 Digit3", contest/press_source.py). */
function isStation(buzz) {
  return typeof buzz.phone === "string" && buzz.phone.startsWith("抢答器");
}

/**
 * Every press of the question in the order they were pressed (by the phones' corrected clocks),
 * each with its outcome: the engine's buzz record where the press was accepted, else the refusal.
 */
function pressesInOrder(stage) {
  const records = stage.buzzes || [];
  if (!(stage.presses || []).length) return records;
  return [...stage.presses]
    .sort((a, b) => a.pressed_at - b.pressed_at || a.arrived_at - b.arrived_at)
    .map((press) => {
      const record = press.accepted && records.find((buzz) => buzz.team === press.team && buzz.arrived_at >= press.arrived_at);
      return { ...press, outcome: record ? record.outcome : "refused" };
    });
}

/** The result column: the buzz outcome, and for the winner the verdict once judged. */
function outcomeText(stage, buzz) {
  const outcome = OUTCOMES[buzz.outcome] || buzz.outcome;
  if (buzz.outcome !== "won") return outcome;
  if (stage.holder === buzz.team && stage.verdict) return `${outcome}·${SHORT_VERDICTS[stage.verdict] || stage.verdict}`;
  if ((stage.out || []).includes(buzz.team)) return `${outcome}·出局`;
  return outcome;
}

const CONSOLE_STATES = {
  connected: ["ok", "已连接"],
  disconnected: ["bad", "已断开，正在重连…"],
  reconnecting: ["warn", "正在重连…"],
  refused: ["bad", "连接被拒绝"],
  wait: ["wait", "连接中"],
};

/** Connection states in the header: this console, the projector and the teams' phones. */
export function renderLinks(view, consoleStatus, detail) {
  const [state, text] = CONSOLE_STATES[consoleStatus] || CONSOLE_STATES.wait;
  const presence = (view && view.presence) || {};
  // Another console on the same contest (a second host) is worth knowing: both can decide.
  const others = consoleStatus === "connected" && presence.host > 1 ? `（共 ${presence.host} 台）` : "";
  setLink("link-console", state, consoleStatus === "refused" && detail ? `连接被拒绝：${detail}` : text + others);
  if (!view) return;
  setLink("link-display", presence.display ? "ok" : "bad", presence.display ? "已连接" : "未连接");
  const teams = view.teams || [];
  const online = teams.filter((team) => phoneOnline(view, team.id));
  const missing = teams.filter((team) => !phoneOnline(view, team.id)).map((team) => teamLabel(view, team.id));
  const phones = document.getElementById("link-phones");
  setLink("link-phones", online.length === teams.length ? "ok" : online.length ? "warn" : "bad",
    `${online.length}/${teams.length} 在线`);
  phones.title = missing.length ? `未连接：${missing.join("、")}` : "所有队伍手机已连接";
}

function setLink(id, state, text) {
  const item = document.getElementById(id);
  item.dataset.state = state;
  item.querySelector("b").textContent = text;
}
