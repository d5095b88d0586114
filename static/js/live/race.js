/**
 * The race of a decided buzz, as the server sends it (`stage.race`: each team's first press in
 * press order, with its ms behind the first; empty while buzzing or when the stage's show_race
 * is off). The display shows the order, a phone that lost says by how much.
 */
import { teamOf } from "/static/js/live/names.js";

const SHOWN = 6; // the projector line stays readable

/** "3号 +0 ms · 6号 +18 ms · 1号 +42 ms", or "" when fewer than two teams pressed. */
export function raceText(view, race) {
  if (!race || race.length < 2) return "";
  return race.slice(0, SHOWN).map(({ team, behind }) => `${teamOf(view, team)?.seat ?? "?"}号 +${behind} ms`).join(" · ");
}

/** "比抢到的队伍晚 18 ms" for a team that pressed too late, else "". */
export function behindText(race, team) {
  const entry = (race || []).find((press) => press.team === team);
  return entry && entry.behind > 0 ? `比抢到的队伍晚 ${entry.behind} ms` : "";
}
