// Words shared by the pages: stage phases, verdicts and team labels in Chinese.

export const VERDICT_LABELS = {
  right: "回答正确",
  wrong: "回答错误",
  void: "本题无效",
  timeout: "超时",
  no_buzz: "无人抢答",
  abstain: "放弃",
  pass: "过",
};

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
