// The key a reverse proxy routes this tab's live connections by (deploy/nginx/contest.conf).
// With several server processes, every request of one long-polling session, and its upgrade to
// WebSocket, must reach the same process; routing by the client's address would put every phone
// of a hall, behind the venue's one NAT address, on one process. So each tab draws a random key
// once (kept in sessionStorage: a reload keeps its process) and adds it to its Socket.IO URL.
// One process without a proxy ignores it.

const STORAGE_KEY = "contest-route";

function drawKey() {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function tabKey() {
  try {
    let key = window.sessionStorage.getItem(STORAGE_KEY);
    if (!key) {
      key = drawKey();
      window.sessionStorage.setItem(STORAGE_KEY, key);
    }
    return key;
  } catch (_blocked) {
    return drawKey(); // storage refused (a private window): one key for this page load
  }
}

/** The query every Socket.IO connection of this tab adds: `{route: key}`. */
export const ROUTE_QUERY = Object.freeze({ route: tabKey() });
