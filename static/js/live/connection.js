// A live connection for one role: keeps the role's view current from `snapshot` and `change`,
// asks for a snapshot when it missed a change, estimates the server clock, and sends commands
// with a client id so a retry after a dropped connection counts once.
// See docs/protocol.md.
import { io } from "/static/vendor/socket.io/socket.io.esm.min.js";
import { EVENTS, NAMESPACES } from "/live/protocol.js";
import { applyMergePatch } from "/static/js/live/merge_patch.js";
import { ROUTE_QUERY } from "/static/js/live/route.js";

const CLOCK_SAMPLES = 8;
const CLOCK_REFRESH_MS = 15000;
const COMMAND_TIMEOUT_MS = 8000;

export class LiveConnection {
  /**
   * @param {"host"|"display"|"team"} role
   * @param {object} auth  connect credentials, e.g. {contest: 3} or {contest: 3, token: "…"}
   * @param {object} handlers  onView(view, events), onStatus(status, detail)
   */
  constructor(role, auth, { onView = () => {}, onStatus = () => {} } = {}) {
    this.view = null;
    this.seq = -1;
    this.offset = 0; // server clock minus this clock, in ms
    this.samples = [];
    this.onView = onView;
    this.onStatus = onStatus;
    this.socket = io(NAMESPACES[role], {
      auth,
      query: ROUTE_QUERY,
      transports: ["websocket", "polling"],
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
    });
    this.socket.on("connect", () => {
      this.onStatus("connected");
      this.syncClock();
    });
    this.socket.on("disconnect", (reason) => this.onStatus("disconnected", reason));
    this.socket.on("connect_error", (error) => this.onStatus("refused", error.message));
    this.socket.io.on("reconnect_attempt", () => this.onStatus("reconnecting"));
    // The server measures this phone's clock for fair buzzing: answer at once with our time.
    this.socket.on(EVENTS.CLOCK_PROBE, (_probe, answer) => answer({ phone_now: Date.now() }));
    this.socket.on(EVENTS.SNAPSHOT, (payload) => this.takeSnapshot(payload));
    this.socket.on(EVENTS.CHANGE, (payload) => this.takeChange(payload));
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.wake();
    });
    setInterval(() => this.syncClock(), CLOCK_REFRESH_MS);
  }

  /** The server's clock now, as best this client knows it. */
  serverNow() {
    return Date.now() + this.offset;
  }

  takeSnapshot(payload) {
    this.view = payload.view;
    this.seq = payload.seq;
    this.onView(this.view, []);
  }

  takeChange(payload) {
    if (payload.base_seq !== this.seq || this.view === null) {
      this.resync();
      return;
    }
    this.view = applyMergePatch(this.view, payload.patch);
    this.seq = payload.seq;
    this.onView(this.view, payload.events || []);
  }

  resync() {
    this.socket.timeout(COMMAND_TIMEOUT_MS).emit(EVENTS.RESYNC, {}, (error, payload) => {
      if (!error && payload) this.takeSnapshot(payload);
    });
  }

  /** A phone coming back from a locked screen: reconnect at once and check it is current. */
  wake() {
    if (!this.socket.connected) this.socket.connect();
    else this.resync();
    this.syncClock();
  }

  /** NTP-style: several pings, keep the offset of the one with the shortest round trip. */
  syncClock() {
    if (!this.socket.connected) return;
    for (let i = 0; i < 3; i += 1) {
      const t0 = Date.now();
      this.socket.timeout(3000).emit(EVENTS.CLOCK, { t0 }, (error, reply) => {
        if (error || !reply) return;
        const t3 = Date.now();
        this.samples.push({ delay: (t3 - t0) / 2, offset: reply.server_now - (t0 + t3) / 2 });
        this.samples = this.samples.slice(-CLOCK_SAMPLES * 3);
        const best = [...this.samples].sort((a, b) => a.delay - b.delay)[0];
        this.offset = best.offset;
        this.delay = best.delay;
      });
    }
  }

  /**
   * Send a command and resolve with the server's acknowledgement ({ok, seq} or {ok, reason}).
   * The same client id is reused if the command has to be sent again.
   */
  send(event, payload = {}) {
    const message = { ...payload, client_id: payload.client_id || newClientId() };
    return new Promise((resolve) => {
      const attempt = (triesLeft) => {
        this.socket.timeout(COMMAND_TIMEOUT_MS).emit(event, message, (error, ack) => {
          if (!error) resolve(ack);
          else if (triesLeft > 0) attempt(triesLeft - 1);
          else resolve({ ok: false, reason: "网络连接中断，请稍后重试" });
        });
      };
      attempt(2);
    });
  }

  command(type, args = {}) {
    return this.send(EVENTS.COMMAND, { type, ...args });
  }
}

function newClientId() {
  if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
