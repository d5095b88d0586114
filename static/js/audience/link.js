// The /audience namespace for one role (phone, display or host): its view and the live distribution.
// See docs/protocol.md, "Audience questions".
import { io } from "/static/vendor/socket.io/socket.io.esm.min.js";
import { EVENTS, NAMESPACES } from "/live/protocol.js";
import { ROUTE_QUERY } from "/static/js/live/route.js";

export const LETTERS = "ABCDEF";
const ACK_TIMEOUT_MS = 8000;

/** A socket to /audience; `onView(view)` for each whole view, `onTally(tally)` for each distribution. */
export function audienceSocket(auth, { onView, onTally = () => {}, onStatus = () => {} }) {
  const socket = io(NAMESPACES.audience, {
    auth, query: ROUTE_QUERY, transports: ["websocket", "polling"], reconnectionDelay: 1000, reconnectionDelayMax: 5000,
  });
  socket.on("connect", () => onStatus("connected"));
  socket.on("disconnect", (reason) => onStatus("disconnected", reason));
  socket.on("connect_error", (error) => onStatus("refused", error.message));
  socket.on(EVENTS.AUDIENCE_VIEW, onView);
  socket.on(EVENTS.AUDIENCE_TALLY, onTally);
  return socket;
}

/** Emit and resolve with the server's acknowledgement (or a refusal when none comes). */
export function ask(socket, event, payload = {}) {
  return new Promise((resolve) => {
    socket.timeout(ACK_TIMEOUT_MS).emit(event, payload, (error, ack) => {
      resolve(error ? { ok: false, reason: "网络连接中断，请稍后重试" } : ack);
    });
  });
}

/** "37%" of `count` in `total` (0% without answers). */
export function percent(count, total) {
  return `${total ? Math.round((100 * count) / total) : 0}%`;
}

/** The distribution's counts of a view, when it belongs to the view's question. */
export function countsOf(view) {
  const tally = view && view.tally;
  return tally && view.question && tally.question === view.question.id ? tally : null;
}
