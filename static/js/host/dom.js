// Small DOM helpers of the host console (all text goes in as textContent, never as HTML).
import { distinctName, element, teamClass, teamOf } from "/static/js/live/names.js";

/**
 * A team's seat and name in its colour (teams.css .team-tag), or an empty span. `distinct` shows
 * the part of the name that tells the teams apart (for narrow columns); the title has it all.
 */
export function teamTag(view, id, distinct = false) {
  const team = teamOf(view, id);
  const tag = element("span", `team-tag ${teamClass(view, id)}`);
  if (!team) return tag;
  tag.append(element("span", "seat", `${team.seat}号`), element("span", "name", distinct ? distinctName(view, id) : team.name));
  tag.title = distinct ? [team.name, team.company].filter(Boolean).join("\n") : team.company || team.name;
  return tag;
}

/** Replace the children of `parent` with `nodes`. */
export function fill(parent, nodes) {
  parent.replaceChildren(...nodes);
}

/** Show or hide an element by id. */
export function show(id, visible) {
  const node = document.getElementById(id);
  if (node) node.hidden = !visible;
}

/** "03:07.412" (minutes, seconds, ms of the local wall clock) for a server time in ms: enough within a question. */
export function minuteTime(ms) {
  const date = new Date(ms);
  const pad = (n, width = 2) => String(n).padStart(width, "0");
  return `${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}
