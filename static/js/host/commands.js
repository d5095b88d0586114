// Sending host commands: one at a time, with the acknowledgement shown to the host. A refused
// command shows the server's reason (Chinese) until the next command; while a command is in
// flight, and until the change it caused has arrived, every command control is disabled, so a
// double press cannot send twice.

const OK_NOTICE_MS = 4000;
const WAIT_FOR_CHANGE_MS = 3000;

export class CommandSender {
  /**
   * @param {LiveConnection} connection
   * @param {() => void} onChange  called when the sender becomes busy or free (to redraw controls)
   */
  constructor(connection, onChange) {
    this.connection = connection;
    this.onChange = onChange;
    this.inFlight = null; // label of the command awaiting its acknowledgement
    this.waitSeq = null; // seq of an accepted command whose change has not arrived yet
    this.connected = false;
    this.noticeTimer = null;
  }

  /** Whether a command may be sent now. */
  get blocked() {
    return !this.connected || this.inFlight !== null || this.waitSeq !== null;
  }

  /** A view arrived: the change of an accepted command frees the controls. */
  viewArrived(view) {
    if (this.waitSeq !== null && view.seq >= this.waitSeq) this.waitSeq = null;
  }

  setConnected(connected) {
    this.connected = connected;
    if (!connected) this.waitSeq = null;
  }

  /** Send `type` with `args`; `label` names it to the host. Resolves with the acknowledgement. */
  async run(type, args, label) {
    if (this.blocked) {
      this.notice("info", this.connected ? `上一操作尚未确认，请稍候（${this.inFlight || "同步中"}）` : "未连接服务器，操作未发送");
      return null;
    }
    this.inFlight = label;
    this.notice("busy", `发送中：${label}…`);
    this.onChange();
    const ack = await this.connection.command(type, args);
    this.inFlight = null;
    if (ack && ack.ok) {
      this.waitSeq = this.connection.seq >= ack.seq ? null : ack.seq;
      if (this.waitSeq !== null) {
        const seq = this.waitSeq;
        window.setTimeout(() => { if (this.waitSeq === seq) { this.waitSeq = null; this.onChange(); } }, WAIT_FOR_CHANGE_MS);
      }
      this.notice("ok", `已执行：${label}`, OK_NOTICE_MS);
    } else {
      this.notice("error", `未执行「${label}」：${(ack && ack.reason) || "服务器没有回应"}`);
    }
    this.onChange();
    return ack;
  }

  /** Show a message under the controls; `ms` makes it go away after a while. */
  notice(kind, text, ms = 0) {
    const node = document.getElementById("notice");
    window.clearTimeout(this.noticeTimer);
    node.textContent = text;
    node.dataset.kind = kind;
    node.setAttribute("role", kind === "error" ? "alert" : "status");
    if (ms) {
      this.noticeTimer = window.setTimeout(() => {
        node.textContent = "";
        node.dataset.kind = "none";
      }, ms);
    }
  }
}
