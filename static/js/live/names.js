// Words shared by the pages: stage phases, verdicts and team labels in Chinese.

export { VERDICT_LABELS } from "/live/words.js"; // one table with the reports: web/words.py

export const PHASE_LABELS = {
  intro: "环节开始",
  choosing: "选择分值",
  reading: "读题",
  buzzing: "抢答中",
  answering: "答题中",
  judged: "已判定",
  revealed: "已揭晓答案",
  turn_over: "本队结束",
  resolved: "加赛已决出名次",
};

export const TYPE_LABELS = { single: "单选题", multi: "多选题", true_false: "判断题", open: "简答题" };

/** The team object of `id` in a view. */
export function teamOf(view, id) {
  return (view.teams || []).find((team) => team.id === id) || null;
}

/** "3号 某某科技" for a team id. */
export function teamLabel(view, id) {
  const team = teamOf(view, id);
  return team ? `${team.seat}号 ${team.name}` : "";
}

const KEEP_CHARS = 4; // a shortened name keeps at least this many characters
const LONGEST_SHARED = 6; // longest leading part dropped at once (湖南省长沙市 is two steps)

/**
 * The part of a team's name that tells it apart from the others: real company names mostly start
 * alike (湖南省…, 长沙市…), and a narrow column cut at 6–8 characters showed only that. A leading
 * part shared with another team's name is dropped, again while one is shared, as long as at least
 * four characters remain; a name sharing nothing stays whole.
 */
export function distinctName(view, id) {
  const team = teamOf(view, id);
  if (!team) return "";
  const others = (view.teams || []).filter((other) => other.id !== id).map((other) => other.name);
  let name = team.name;
  for (;;) {
    const shared = sharedStart(name, others);
    if (!shared) return name;
    name = name.slice(shared);
  }
}

/** The length of the longest leading part of `name` (2 to 6 characters) that another name has too, or 0. */
function sharedStart(name, others) {
  for (let length = Math.min(LONGEST_SHARED, name.length - KEEP_CHARS); length >= 2; length -= 1) {
    const start = name.slice(0, length);
    if (others.some((other) => other.includes(start))) return length;
  }
  return 0;
}

/**
 * The buzzer stage's count, the same on every screen and in the audit: questions are numbered in
 * the order the hall saw them (a question replacing a void one gets the next number, as the audit
 * gives it), and once a void question has shifted the numbers, "计 n/planned" says which of the
 * planned questions this one counts as. "第 3 / 20 题" before any void; "第 3 题 · 计 2/20" after one.
 */
export function buzzerCount(stage) {
  const spare = stage.spare ? "（备用题）" : "";
  if (stage.question_number === stage.planned_number) return `第 ${stage.planned_number} / ${stage.planned} 题${spare}`;
  return `第 ${stage.question_number} 题 · 计 ${stage.planned_number}/${stage.planned}${spare}`;
}

/** The colour class of a team (static/css/teams.css). */
export function teamClass(view, id) {
  const team = teamOf(view, id);
  return team ? `team-${team.seat}` : "team-none";
}

/** Put `text` into the element with `id` (as text: never HTML). */
export function setText(id, text) {
  const element = document.getElementById(id);
  if (element) element.textContent = text == null ? "" : String(text);
}

/** Create an element with classes and text content. */
export function element(tag, className = "", text = null) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = String(text);
  return node;
}
