// What is particular to a stage kind on the projector: its title card, the risk tiers, the
// tiebreak's tied teams.

import { element, setText, teamLabel, teamOf } from "/static/js/live/names.js";

const RULES = {
  required: "各队按座次依次作答，答对得分",
  speed: "每队限时连续作答，答对越多得分越多，可以选择“过”",
  buzzer: "主持人宣布“开始抢答”后方可抢答，提前抢答视为犯规",
  risk: "按当前得分从高到低依次选择分值：答对加分，答错扣分，也可放弃",
  tiebreak: "同分队伍抢答决定名次：先答对者名次在前，答错出局",
};
const STEP_NAMES = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/** The stage's title card; a tiebreak's names the tied teams, their score and the places at stake. */
export function showIntro(view, stage) {
  const regular = (view.stages || []).findIndex((s) => !s.played && s.title === stage.title && s.kind === stage.kind);
  const step = stage.kind === "tiebreak" ? "同分决胜" : regular >= 0 ? `第${STEP_NAMES[regular] || regular + 1}环节` : "";
  setText("intro-step", step);
  setText("intro-title", stage.title);
  setText("intro-rule", RULES[stage.kind] || "");
  const tied = stage.kind === "tiebreak" ? stage.order || [] : [];
  const box = document.getElementById("intro-teams");
  box.hidden = tied.length === 0;
  box.replaceChildren(...(tied.length ? [element("span", "d-tb-label", stakes(view, tied)), ...tied.map((id) => {
    const team = teamOf(view, id);
    return element("span", `d-tb-team team-${team ? team.seat : "none"}`, teamLabel(view, id));
  })] : []));
}

/** "同为 130 分 · 争夺第 1–2 名" for the tied teams of a tiebreak. */
function stakes(view, teams) {
  const lines = (view.standings || []).filter((line) => teams.includes(line.team));
  if (!lines.length) return "加赛队伍";
  const first = Math.min(...lines.map((line) => line.place));
  return `同为 ${lines[0].score} 分 · 争夺第 ${first}–${first + teams.length - 1} 名`;
}

/**
 * Risk: the value tiers as big cards with the questions left at each value. The chosen card
 * shows its back (team colour) and turns over with a CSS transition when `chosen` changes.
 */
export function showTiers(box, view, stage, chosen) {
  const tiers = stage.tiers || [];
  if (box.dataset.tiers !== tiers.join()) {
    box.dataset.tiers = tiers.join();
    box.replaceChildren(element("p", "d-tiers-prompt"), element("div", "d-tiers-row"));
    const row = box.lastChild;
    for (const tier of tiers) {
      const card = element("div", "d-tier");
      card.dataset.tier = String(tier);
      const front = element("div", "d-tier-face d-tier-front");
      front.append(amount(tier), element("span", "d-tier-left"));
      const back = element("div", "d-tier-face d-tier-back");
      back.append(amount(tier), element("span", "d-tier-left", "已选择"));
      card.append(front, back);
      row.append(card);
    }
  }
  const holder = teamOf(view, stage.holder);
  box.querySelector(".d-tiers-prompt").textContent = !holder
    ? "风险题：选择分值"
    : chosen != null
      ? `${teamLabel(view, stage.holder)} 选择了 ${chosen} 分`
      : stage.verdict === "abstain"
        ? `${teamLabel(view, stage.holder)} 放弃本题`
        : `请 ${teamLabel(view, stage.holder)} 选择分值`;
  for (const card of box.querySelectorAll(".d-tier")) {
    const tier = Number(card.dataset.tier);
    const left = stage.tiers_left ? stage.tiers_left[String(tier)] : null;
    card.querySelector(".d-tier-front .d-tier-left").textContent = left == null ? "" : `剩余 ${left} 题`;
    card.className = `d-tier ${holder ? `team-${holder.seat}` : "team-none"}`;
    card.classList.toggle("chosen", chosen === tier);
    card.classList.toggle("unchosen", chosen != null && chosen !== tier);
    card.classList.toggle("empty", left === 0);
  }
}

function amount(tier) {
  const wrap = element("span", "d-tier-amount");
  wrap.append(element("span", "d-tier-value", tier), element("span", "d-tier-unit", "分"));
  return wrap;
}

/** Tiebreak: each tied team with its state: placed (with its place), still playing, or out. */
export function showTiebreak(box, view, stage) {
  const order = stage.order || [];
  const top = stage.placed_top || [];
  const bottom = stage.placed_bottom || [];
  const places = (view.standings || []).filter((line) => order.includes(line.team)).map((line) => line.place);
  const base = places.length ? Math.min(...places) : 1;
  const out = new Set(stage.out || []);
  const chips = order.map((id) => {
    const team = teamOf(view, id);
    let state = out.has(id) ? "本题出局" : "争夺中";
    if (top.includes(id)) state = `第${base + top.indexOf(id)}名`;
    if (bottom.includes(id)) state = `第${base + order.length - bottom.length + bottom.indexOf(id)}名`;
    const chip = element("span", `d-tb-team team-${team ? team.seat : "none"}`);
    chip.classList.toggle("out", out.has(id) && !top.includes(id) && !bottom.includes(id));
    chip.append(element("span", "", teamLabel(view, id)), element("span", "d-tb-state", state));
    return chip;
  });
  box.replaceChildren(element("span", "d-tb-label", "加赛队伍"), ...chips);
}
