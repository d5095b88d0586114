// Sending host commands in the order the host pressed them. A host marking a speed round presses a
// key a second, faster than a busy server's change reaches the console, so no key press is dropped:
// each command waits in a queue, is sent after the one before it is acknowledged, with its own
// client id and the place in the contest it was pressed for (`meant_for`, docs/protocol.md). The
// server refuses a command whose place has passed, so a late press never lands on another
// question. The log under the notice shows every command with its outcome; a refusal stays in the
// notice until the host presses again.

const OK_NOTICE_MS = 4000;
const LOG_SIZE = 6;
const STATES = { queued: "排队", sending: "发送中", done: "已执行", refused: "未执行" };

/** Where the view says the contest is: what a command pressed now is meant for. */
export function placeOf(view) {
  const stage = view && view.stage;
  if (!stage) return { stage: null, turn: null, question: null };
  return { stage: stage.index, turn: stage.turn, question: stage.question_number ?? null };
}

/**
 * Where the contest will be once `type` is executed at `place`, as far as the console can tell:
 * in the speed round a verdict or a pass shows the packet's next question (none after the last).
 * Every other command leaves the place as it was, so a key pressed after it, before its change
 * arrived, is meant for the old place and is refused if the command moved the contest on.
 */
function placeAfter(type, place, view) {
  const stage = view && view.stage;
  const moves = stage && stage.kind === "speed" && (type === "Judge" || type === "Pass") && place.question != null;
  if (!moves) return place;
  const packetEnd = Math.min((place.turn + 1) * stage.packet_size, stage.question_total);
  return { ...place, question: place.question < packetEnd ? place.question + 1 : null };
}

/** "第 3 题" or "" for a place without a question: names a logged command's target. */
function placeLabel(place) {
  return place.question != null ? `第 ${place.question} 题` : "";
}

export class CommandSender {
  /**
   * @param {LiveConnection} connection
   * @param {() => void} onChange  called when the queue changes (to redraw controls)
   */
  constructor(connection, onChange) {
    this.connection = connection;
    this.onChange = onChange;
    this.queue = []; // commands waiting to be sent, oldest first
    this.sending = null; // the command awaiting its acknowledgement
    this.unseen = []; // accepted commands whose change has not reached the view yet
    this.log = [];
    this.connected = false;
    this.view = null;
    this.errorShown = false;
    this.noticeTimer = null;
  }

  /** Whether a command was pressed whose outcome the view does not show yet. */
  get busy() {
    return this.sending !== null || this.queue.length > 0 || this.unseen.length > 0;
  }

  /** Whether commands cannot be sent at all (no connection). */
  get blocked() {
    return !this.connected;
  }

  /** A view arrived: the commands whose change it shows are settled. */
  viewArrived(view) {
    this.view = view;
    this.unseen = this.unseen.filter((entry) => entry.seq > view.seq);
  }

  setConnected(connected) {
    this.connected = connected;
    if (!connected) this.unseen = [];
  }

  /** Where a command pressed now is meant to act: after every command pressed before it. */
  nextPlace() {
    const pending = [...this.unseen, ...(this.sending ? [this.sending] : []), ...this.queue];
    return pending.length ? pending[pending.length - 1].after : placeOf(this.view);
  }

  /**
   * Queue `type` with `args` (`label` names it to the host); `placed` = false for a command that
   * does not act on a question (a score adjustment, the finish). Resolves with the acknowledgement.
   */
  run(type, args, label, placed = true) {
    if (!this.connected) {
      this.notice("error", `未连接服务器，「${label}」未发送`);
      return Promise.resolve(null);
    }
    const place = this.nextPlace();
    const entry = { type, args, label, place, after: placeAfter(type, place, this.view), state: "queued" };
    if (placed) entry.args = { ...args, meant_for: place };
    if (this.errorShown) this.notice("none", "");
    const done = new Promise((resolve) => { entry.resolve = resolve; });
    this.queue.push(entry);
    this.record(entry);
    this.sendNext();
    return done;
  }

  async sendNext() {
    if (this.sending || !this.queue.length) return;
    const entry = this.queue.shift();
    this.sending = entry;
    this.setState(entry, "sending");
    const ack = await this.connection.command(entry.type, entry.args);
    this.sending = null;
    if (ack && ack.ok) {
      entry.seq = ack.seq;
      if (this.connection.seq < ack.seq) this.unseen.push(entry);
      this.setState(entry, "done");
      if (!this.errorShown && !this.queue.length) this.notice("ok", `已执行：${entry.label}`, OK_NOTICE_MS);
    } else {
      entry.reason = (ack && ack.reason) || "服务器没有回应";
      this.setState(entry, "refused");
      this.notice("error", `未执行「${entry.label}」：${entry.reason}`);
    }
    entry.resolve(ack);
    this.sendNext();
  }

  record(entry) {
    this.log.push(entry);
    this.log = this.log.slice(-LOG_SIZE);
    this.setState(entry, entry.state);
  }

  setState(entry, state) {
    entry.state = state;
    this.renderLog();
    this.onChange();
  }

  /** The last commands, newest first: label, the question it was meant for, its outcome. */
  renderLog() {
    const list = document.getElementById("command-log");
    list.replaceChildren(...[...this.log].reverse().map((entry) => {
      const item = document.createElement("li");
      item.dataset.state = entry.state;
      item.textContent = [entry.label, placeLabel(entry.place), STATES[entry.state]].filter(Boolean).join(" · ");
      if (entry.reason) item.title = entry.reason;
      return item;
    }));
    list.hidden = this.log.length === 0;
  }

  /** Show a message under the controls; `ms` makes it go away after a while. */
  notice(kind, text, ms = 0) {
    const node = document.getElementById("notice");
    window.clearTimeout(this.noticeTimer);
    node.textContent = text;
    node.dataset.kind = kind;
    this.errorShown = kind === "error";
    node.setAttribute("role", kind === "error" ? "alert" : "status");
    if (ms) {
      this.noticeTimer = window.setTimeout(() => {
        node.textContent = "";
        node.dataset.kind = "none";
      }, ms);
    }
  }
}
