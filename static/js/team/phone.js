// The team phone: team name, colour and score at the top, then the action of the moment (the buzz
// button, the answer options, the risk values) or the state in plain words.
// The phone is authenticated by its HttpOnly cookie from /join/<token>; the Socket.IO handshake is
// same-origin and carries it, so the connection sends no credentials of its own.
import { EVENTS } from "/live/protocol.js";
import { LiveConnection } from "/static/js/live/connection.js";
import { everyFrame, remainingMs, secondsLabel } from "/static/js/live/countdown.js";
import { setText, teamClass, teamOf } from "/static/js/live/names.js";
import { AnswerPad } from "/static/js/team/answer_pad.js";
import { BuzzButton } from "/static/js/team/buzz_button.js";
import { ConnectionNotice } from "/static/js/team/connection_notice.js";
import { describe, questionKey } from "/static/js/team/situation.js";
import { TierPad } from "/static/js/team/tier_pad.js";

const NOTE_MS = 3500;
const MIN_NOTE_MS = 1200;
const WIN_VIBRATION = [80, 60, 80];
const SERVER_DROP_RETRY_MS = 1000;

const root = document.getElementById("phone");
const teamId = Number(root.dataset.team);
const notice = new ConnectionNotice(document.getElementById("ph-banner"));

/** What this phone knows beyond the view: a press on its way, a lockout, the connection. */
const local = { pressing: false, lockedUntil: null, online: false, now: 0 };
let everConnected = false;
let refused = false;
let noteTimer = null;
let shownScore = null;

const buzzButton = new BuzzButton(document.getElementById("ph-buzz"), press);
const answerPad = new AnswerPad(document.getElementById("ph-answer"), (choice) => live.send(EVENTS.ANSWER, { choice }));
const tierPad = new TierPad(document.getElementById("ph-tiers"), {
  choose: (tier) => live.send(EVENTS.CHOOSE_TIER, { tier }),
  abstain: () => live.send(EVENTS.ABSTAIN, {}),
});

const live = new LiveConnection("team", {}, { onView, onStatus });

window.addEventListener("offline", () => onStatus("disconnected", "browser offline"));
window.addEventListener("online", () => live.wake());
window.addEventListener("resize", fitName);
fitName(); // the name the server rendered
everyFrame(tick);

function onView(view, events) {
  for (const event of events) noteEvent(event);
  render();
}

/** The few decisions that need more than the view: a lockout's end, a win's vibration. */
function noteEvent(event) {
  if (event.kind === "QuestionShown") local.lockedUntil = null;
  if (event.team !== teamId) return;
  if (event.kind === "EarlyBuzz" && event.policy === "lockout") {
    local.lockedUntil = event.locked_until;
    showNote("提前按下，短暂锁定", "bad", Math.max(event.locked_until - live.serverNow(), MIN_NOTE_MS));
  }
  if (event.kind === "BuzzWon" && navigator.vibrate) navigator.vibrate(WIN_VIBRATION);
}

function onStatus(status, detail) {
  if (refused) return;
  root.dataset.link = status === "connected" ? "online" : "offline";
  if (status === "connected") {
    local.online = true;
    if (everConnected) notice.back();
    else notice.clear();
    everConnected = true;
  } else if (status === "refused" && !live.socket.active) {
    // The server turned the phone away (revoked or never bound): socket.io will not retry.
    refuse(detail);
    return;
  } else {
    local.online = false;
    notice.lost();
    // A server-side disconnect is not retried by socket.io; try again, the server decides.
    if (status === "disconnected" && detail === "io server disconnect") {
      setTimeout(() => live.socket.connect(), SERVER_DROP_RETRY_MS);
    }
  }
  render();
}

function refuse(reason) {
  refused = true;
  local.online = false;
  notice.clear();
  const screen = document.getElementById("ph-refused");
  setText("ph-refused-reason", reason || "本手机未加入队伍或已被移出");
  screen.hidden = false;
  root.dataset.mode = "refused";
  root.dataset.link = "refused";
}

/** A press of the big button: it already looks pressed; the server judges it (early ones too). */
async function press() {
  const pressedAt = Date.now(); // this phone's clock: the server converts it to its own time
  const stage = live.view && live.view.stage;
  local.pressing = true;
  render();
  const ack = await live.send(EVENTS.BUZZ, { open_token: stage ? stage.open_token : null, pressed_at: pressedAt });
  local.pressing = false;
  if (!ack.ok) showNote(ack.reason || "没有抢到", "bad");
  render();
}

/** A short line above the buzz button: why a press was refused, or a lockout. */
function showNote(text, tone, ms = NOTE_MS) {
  const note = document.getElementById("ph-note");
  clearTimeout(noteTimer);
  note.textContent = text;
  note.dataset.tone = tone;
  note.hidden = false;
  noteTimer = setTimeout(() => { note.hidden = true; }, ms);
}

function render() {
  const view = live.view;
  // Before the first snapshot the server-rendered words stay (the strip says if the network is down).
  if (refused || view == null) return;
  local.now = live.serverNow();
  const shown = describe(view, local);
  root.dataset.mode = shown.mode;
  root.dataset.tone = shown.tone;
  setText("ph-stage", shown.stageLine);
  setText("ph-headline", shown.headline);
  setText("ph-detail", shown.detail);
  renderTeam(view);
  renderAction(view, shown);
  root.dataset.clock = shown.clock && view && view.stage && view.stage.deadline != null ? "on" : "off";
  tick();
}

/** The score's label while the hall does not see the real scores. */
const SCORE_LABELS = { hidden: "比分已隐藏", frozen: "比分已冻结", ceremony: "待揭晓" };

/**
 * Name and score at the top; the score flashes when it changes. The name is sized again when the
 * header's text changes (a new name, or a wider score leaving it less room).
 */
function renderTeam(view) {
  const team = view ? teamOf(view, teamId) : null;
  const before = document.getElementById("ph-head").textContent;
  if (team) {
    setText("ph-name", team.name);
    setText("ph-seat", team.seat);
  }
  const score = view && view.me && view.me.score != null ? view.me.score : null;
  setText("ph-score", score == null ? "—" : score);
  // Suspense (docs/rules.md 悬念): the phone shows of its own score what the display shows.
  const mode = view && view.suspense ? view.suspense.mode : null;
  setText("ph-score-label", SCORE_LABELS[mode] && !(mode === "ceremony" && score != null) ? SCORE_LABELS[mode] : "得分");
  document.getElementById("ph-score-box").dataset.suspense = score == null ? mode || "" : mode === "frozen" ? "frozen" : "";
  if (document.getElementById("ph-head").textContent !== before) fitName();
  if (shownScore != null && score != null && score !== shownScore) flash(document.getElementById("ph-score-box"));
  shownScore = score;
}

/**
 * A name that needs more than two lines at the header's size is set smaller (phone.css .ph-long).
 * The name is clamped to two lines: a hidden third line adds a whole line to scrollHeight, while
 * Chinese glyphs taller than the line box add a little even when nothing is hidden.
 */
function fitName() {
  const name = document.getElementById("ph-name");
  name.classList.remove("ph-long");
  const halfLine = parseFloat(getComputedStyle(name).lineHeight) / 2;
  if (name.scrollHeight > name.clientHeight + halfLine) name.classList.add("ph-long");
}

function flash(box) {
  box.classList.remove("ph-changed");
  void box.offsetWidth; // restart the animation
  box.classList.add("ph-changed");
}

function renderAction(view, shown) {
  document.getElementById("ph-buzz-zone").hidden = shown.mode !== "buzz";
  document.getElementById("ph-answer").hidden = shown.mode !== "answer";
  document.getElementById("ph-tiers").hidden = shown.mode !== "tiers";
  if (shown.mode === "buzz") buzzButton.show(shown.buzz, teamClass(view, teamId));
  if (shown.mode === "answer") answerPad.show(view.stage.question, questionKey(view.stage));
  if (shown.mode === "tiers") tierPad.show(view.stage, `${view.stage.index}:${view.stage.turn}`);
}

/** Every frame: the clock's seconds, and the end of a lockout (the view does not announce it). */
function tick() {
  const view = live.view;
  if (local.lockedUntil != null && live.serverNow() >= local.lockedUntil && local.now < local.lockedUntil) {
    render();
    return;
  }
  if (root.dataset.clock !== "on") return;
  const ms = remainingMs(view.stage, live.serverNow());
  const text = secondsLabel(ms);
  const clock = document.getElementById("ph-clock-seconds");
  if (clock.textContent !== text) clock.textContent = text;
  root.dataset.hurry = ms != null && ms <= 5000 ? "on" : "off";
}
