// The host console: connects to /host for the contest in #app[data-contest] and keeps the
// question area, the controls and the side panel in step with the host view.
import { LiveConnection } from "/static/js/live/connection.js";
import { EVENTS } from "/live/protocol.js";
import { everyFrame } from "/static/js/live/countdown.js";
import { CommandSender } from "./commands.js";
import { Controls } from "./controls.js";
import { adjustForm, confirmDialog, finishDialog } from "./panels.js";
import { phonesPanel } from "./phones.js";
import { clockDrawer, renderStage } from "./question.js";
import { renderBuzzLog, renderLinks, scoreboardRenderer } from "./scoreboard.js";
import { renderSuspense } from "./suspense.js";

const app = document.getElementById("app");
const contestId = Number(app.dataset.contest);

let view = null;
let status = "wait";
let statusDetail = "";
const openings = buzzOpenings();

const connection = new LiveConnection("host", { contest: contestId }, {
  onView: (next, events) => {
    view = next;
    openings.update(view, events);
    sender.viewArrived(view);
    renderAll();
  },
  onStatus: (next, detail) => {
    status = next;
    statusDetail = detail || "";
    sender.setConnected(next === "connected");
    renderLinks(view, status, statusDetail);
    controls.render();
    if (view) adjust(view);
  },
});

const sender = new CommandSender(connection, () => {
  controls.render();
  if (view) adjust(view);
});
const finish = finishDialog(sender);
const confirmation = confirmDialog();
const controls = new Controls(sender, {
  openFinish: () => finish.open(),
  confirm: (title, loss, label) => confirmation.ask(title, loss, label),
});
const adjust = adjustForm(sender);
const drawScoreboard = scoreboardRenderer();
const drawClock = clockDrawer();
const drawPhones = phonesPanel(connection, sender);

function renderAll() {
  if (view.status === "unavailable") {
    sender.notice("error", view.problem || "比赛尚未就绪");
  }
  renderStage(view);
  drawScoreboard(view);
  renderBuzzLog(view, openings.times);
  renderLinks(view, status, statusDetail);
  drawPhones(view);
  controls.render(view);
  renderSuspense(view);
  adjust(view);
  finish.update(view);
  renderMute();
}

everyFrame(() => drawClock(view, connection.serverNow()));

// The display's sounds: the host may silence them (e.g. during a speech); the display obeys view.muted.
const muteToggle = document.getElementById("mute-toggle");
muteToggle.addEventListener("click", async () => {
  const ack = await connection.send(EVENTS.MUTE, { muted: !(view && view.muted) });
  if (!ack.ok) sender.notice("error", ack.reason || "操作失败");
});

function renderMute() {
  const muted = Boolean(view && view.muted);
  muteToggle.textContent = muted ? "大屏声音 关" : "大屏声音 开";
  muteToggle.setAttribute("aria-pressed", String(muted));
}

/**
 * When the buzzers opened for the current question (server ms), for the buzz log's "用时".
 * The view has it only while the buzzers are open (the clock's start); events give it too.
 */
function buzzOpenings() {
  let question = null;
  const times = new Set();
  return {
    get times() {
      return [...times].sort((a, b) => a - b);
    },
    update(current, events) {
      const stage = current.stage;
      const id = stage && stage.question ? `${stage.index}:${stage.question_number}:${stage.question.id}` : null;
      if (id !== question) {
        question = id;
        times.clear();
      }
      for (const event of events) if (event.kind === "BuzzersOpened") times.add(event.at);
      if (stage && stage.phase === "buzzing" && stage.clock_started != null) times.add(stage.clock_started);
    },
  };
}
