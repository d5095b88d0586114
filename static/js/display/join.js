// The join screen before the start: a tick on each team whose phone is connected now
// (view.presence["team:<id>"]), and the count of connected teams. The QR codes are drawn by the
// server; if the teams changed since (an organizer edited them), the page reloads to redraw.

import { element } from "/static/js/live/names.js";

export class JoinScreen {
  constructor(section, refreshSeconds) {
    this.section = section;
    this.cards = [...section.querySelectorAll(".dj-card")];
    this.refreshMs = Math.max(5, refreshSeconds || 10) * 1000;
    this.reloadTimer = null;
  }

  show(view) {
    const presence = view.presence || {};
    let connected = 0;
    for (const card of this.cards) {
      const joined = (presence[`team:${card.dataset.team}`] || 0) > 0;
      connected += joined ? 1 : 0;
      card.classList.toggle("joined", joined);
      card.querySelector(".dj-state-text").textContent = joined ? "已连接" : "等待连接";
    }
    const count = this.section.querySelector("#join-count");
    count.replaceChildren("已连接 ", element("b", "", connected), ` / ${this.cards.length}`);
    const note = this.section.querySelector("#join-note");
    note.hidden = view.status !== "unavailable";
    note.textContent = view.problem || "";
    this.reloadIfTeamsChanged(view);
  }

  reloadIfTeamsChanged(view) {
    const drawn = this.cards.map((card) => card.dataset.team).sort().join();
    const now = (view.teams || []).map((team) => String(team.id)).sort().join();
    if (view.teams && drawn !== now && this.reloadTimer === null) {
      this.reloadTimer = window.setTimeout(() => window.location.reload(), this.refreshMs);
    }
  }
}
