// The buzzer station: a hall's USB buzzer box types one key per team; each key press is stamped
// with this computer's clock and sent on /station as that team's press (docs/protocol.md). The
// server measures this page's clock like a phone's (clock_probe), so the press is judged by when
// the key went down, under the stage's rules. The host view (/host) names the teams, gives the
// opening's token and shows what became of each press.
import { EVENTS } from "/live/protocol.js";
import { LiveConnection } from "/static/js/live/connection.js";
import { PHASE_LABELS, element, setText, teamClass, teamLabel } from "/static/js/live/names.js";
import { fill, minuteTime, teamTag } from "./dom.js";
import { KeyMap, keyLabel } from "./key_map.js";

const LOG_LINES = 12;
const OUTCOMES = { won: "抢到", foul: "提前按下·犯规", lockout: "提前按下·锁定" };
const LINK_WORDS = { connected: ["ok", "已连接"], refused: ["bad", "被拒绝"], disconnected: ["bad", "已断开"],
  reconnecting: ["warn", "重连中"] };

const root = document.getElementById("station");
const contestId = Number(root.dataset.contest);
const keyMap = new KeyMap(contestId, window.localStorage);
let view = null;
let learning = null; // the team whose key is being learned

const viewLink = new LiveConnection("host", { contest: contestId }, {
  onView: (next) => {
    view = next;
    if (view.teams) keyMap.ready(view.teams);
    render();
  },
  onStatus: (status, detail) => showLink("link-view", status, detail),
});
const station = new LiveConnection("station", { contest: contestId }, {
  onStatus: (status, detail) => showLink("link-station", status, detail),
});

// Capture: the key is read before any button could act on it (a focused button and Enter).
window.addEventListener("keydown", onKey, true);
document.getElementById("st-defaults").addEventListener("click", () => {
  if (view) keyMap.useDefaults(view.teams || []);
  stopLearning();
});
document.getElementById("st-keys").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-team]");
  if (button) startLearning(Number(button.dataset.team));
});

/** A key went down: learn it, or press for its team (a held key's repeats and unmapped keys do nothing). */
function onKey(event) {
  // When the key went down on this computer's clock (the handler may run a little later).
  const pressedAt = Date.now() - Math.max(0, performance.now() - event.timeStamp);
  if (event.repeat || event.ctrlKey || event.altKey || event.metaKey) return;
  if (learning !== null) {
    event.preventDefault();
    if (event.code !== "Escape") keyMap.learn(event.code, learning);
    stopLearning();
    return;
  }
  const team = keyMap.teamFor(event.code);
  if (team === null) {
    showSeen("unmapped", `按键 ${keyLabel(event.code)}`, "未对应任何队伍，不计", "");
    return;
  }
  event.preventDefault();
  press(team, event.code, pressedAt);
}

/** Send one press for `team` and show what became of it. */
async function press(team, code, pressedAt) {
  const label = view ? teamLabel(view, team) || `队伍 ${team}` : `队伍 ${team}`;
  showSeen("sent", `按键 ${keyLabel(code)}`, label, "已发送…", team);
  const stage = view && view.stage;
  const ack = await station.send(EVENTS.STATION_BUZZ, {
    team, key: code, open_token: stage ? stage.open_token : null, pressed_at: pressedAt,
  });
  const result = ack.ok ? outcomeOf(team, ack) : ack.reason || "未计入";
  showSeen(ack.ok ? "accepted" : "refused", `按键 ${keyLabel(code)}`, label, result, team);
  addLog(pressedAt, label, code, result);
}

/** What an accepted press became, from the engine's buzz record of its team in the host view. */
function outcomeOf(team, ack) {
  const buzzes = (view && view.stage && view.stage.buzzes) || [];
  const mine = buzzes.filter((buzz) => buzz.team === team);
  const last = mine[mine.length - 1];
  return last && view.seq >= ack.seq ? OUTCOMES[last.outcome] || "已计入" : "已计入";
}

function showSeen(state, key, team, result, teamId = null) {
  const panel = document.getElementById("st-seen");
  panel.dataset.state = state;
  panel.className = `st-seen ${teamId !== null && view ? teamClass(view, teamId) : ""}`;
  setText("st-seen-key", key);
  setText("st-seen-team", team);
  setText("st-seen-result", result);
}

function addLog(pressedAt, label, code, result) {
  const list = document.getElementById("st-log");
  const line = element("li", "", `${minuteTime(pressedAt)}　${label}（按键 ${keyLabel(code)}）　${result}`);
  list.prepend(line);
  while (list.children.length > LOG_LINES) list.lastElementChild.remove();
}

function startLearning(team) {
  learning = team;
  setText("st-learn-hint", `请按 ${teamLabel(view, team)} 的抢答键（Esc 取消）`);
  render();
}

function stopLearning() {
  learning = null;
  if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
  setText("st-learn-hint", "点“学习”，再按该队的抢答键");
  render();
}

function render() {
  if (!view) return;
  const stage = view.stage;
  const phase = stage ? `${stage.title} · ${PHASE_LABELS[stage.phase] || stage.phase}` : "当前没有进行中的环节";
  setText("st-phase", view.status === "finished" ? "比赛已结束" : phase);
  document.getElementById("st-phase").dataset.phase = stage ? stage.phase : "";
  const teams = [...(view.teams || [])].sort((a, b) => a.seat - b.seat);
  fill(document.getElementById("st-keys"), teams.map(keyRow));
}

function keyRow(team) {
  const row = element("tr");
  row.dataset.team = String(team.id);
  const keys = keyMap.keysOf(team.id).map(keyLabel).join("、") || "未设置";
  const button = element("button", "st-btn", learning === team.id ? "请按键…" : "学习");
  button.type = "button";
  button.dataset.team = String(team.id);
  button.setAttribute("aria-pressed", String(learning === team.id));
  const who = element("td");
  who.append(teamTag(view, team.id));
  row.append(who, element("td", "st-key", keys), element("td"));
  row.lastElementChild.append(button);
  return row;
}

function showLink(id, status, detail) {
  const [state, words] = LINK_WORDS[status] || ["wait", "连接中"];
  const link = document.getElementById(id);
  link.dataset.state = state;
  link.querySelector("b").textContent = status === "refused" && detail ? `${words}：${detail}` : words;
}
