// The host's list of each team's bound phones (view.phones, in a dialog opened from the header's
// phone status), with a button to drop one: a phone that
// should not be there (a stranger's, a second spare) is cut at once and its place freed. A drop asks
// for a second press within a few seconds instead of a dialog, so a stray tap does nothing.
import { EVENTS } from "/live/protocol.js";
import { element } from "/static/js/live/names.js";
import { fill, teamTag } from "./dom.js";

const CONFIRM_MS = 4000;

export function phonesPanel(connection, sender) {
  const dialog = document.getElementById("phones-dialog");
  document.getElementById("phones-open").addEventListener("click", () => dialog.showModal());
  const list = document.getElementById("phone-list");
  const note = document.getElementById("phones-note");
  let armed = null; // the phone id waiting for its second press
  let disarm = null;
  let last = null;

  async function drop(phone) {
    if (armed !== phone.id) {
      armed = phone.id;
      window.clearTimeout(disarm);
      disarm = window.setTimeout(() => { armed = null; if (last) draw(last); }, CONFIRM_MS);
      draw(last);
      return;
    }
    armed = null;
    const ack = await connection.send(EVENTS.DROP_PHONE, { phone: phone.id });
    sender.notice(ack && ack.ok ? "ok" : "error", ack && ack.ok ? `已移出${phone.label}` : `未移出：${(ack && ack.reason) || "服务器没有回应"}`);
  }

  function row(view, team) {
    const phones = (view.phones || {})[String(team.id)] || [];
    const items = phones.map((phone) => {
      const button = element("button", "hc-device-drop", armed === phone.id ? "确认移出？" : "移出");
      button.type = "button";
      button.dataset.phone = String(phone.id);
      button.addEventListener("click", () => drop(phone));
      const online = phone.online > 1 ? `在线 ×${phone.online}` : "在线";
      const state = element("span", phone.online ? "hc-device-on" : "hc-device-off", phone.online ? online : "离线");
      const item = element("li", "hc-device");
      item.append(element("span", "hc-device-label", phone.label), state,
        element("span", "hc-device-time", `${new Date(phone.joined_at).toTimeString().slice(0, 5)} 加入`), button);
      return item;
    });
    const entry = element("li", "hc-device-team");
    entry.dataset.team = String(team.id);
    const phonesOf = element("ul", "hc-device-items");
    fill(phonesOf, items.length ? items : [element("li", "hc-device-none", "未加入")]);
    entry.append(teamTag(view, team.id), phonesOf);
    return entry;
  }

  function draw(view) {
    last = view;
    if (!view) return;
    const teams = view.teams || [];
    fill(list, teams.map((team) => row(view, team)));
    const bound = Object.values(view.phones || {}).reduce((sum, phones) => sum + phones.length, 0);
    note.textContent = `已加入 ${bound} 部`;
  }

  return draw;
}
