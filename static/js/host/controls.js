// The console's buttons: enabled exactly when view.actions lists their command, the next
// expected one highlighted (with "空格" on it when Space sends it), risk choices on behalf of a
// team and one tiebreak button per tied group built from the view, and keyboard shortcuts.
import { element, teamLabel } from "/static/js/live/names.js";
import { fill, show } from "./dom.js";
import { phoneOnline } from "./scoreboard.js";
import { lossOfEnding } from "./unplayed.js";

/** Commands that Space sends when they are the next expected step (never a verdict or the finish). */
const SPACE_COMMANDS = new Set(["StartContest", "StartStage", "NextQuestion", "RevealAnswer", "EndStage"]);

/** How long the reason a command is refused stays under the controls. */
const REFUSED_NOTICE_MS = 5000;

/** Letter shortcuts (case-insensitive) → action key. Ctrl+Z (⌘Z) is Undo. */
const KEYS = { o: "OpenBuzzers", r: "Judge:right", w: "Judge:wrong", p: "Pass" };

/** A stable name of an action, e.g. "Judge:right", "ChooseTier:team12:tier20", "StartTiebreak:3,5". */
export function actionKey(action) {
  const parts = [action.command];
  if (action.verdict) parts.push(action.verdict);
  if (action.team != null) parts.push(`team${action.team}`);
  if (action.tier != null) parts.push(`tier${action.tier}`);
  if (action.teams) parts.push([...action.teams].sort((a, b) => a - b).join(","));
  return parts.join(":");
}

/** The arguments to send with an action: everything but its name. */
function argumentsOf(action) {
  const { command, ...args } = action;
  return args;
}

/** The step the host most likely takes next, as an action key, or null while waiting on teams. */
export function expectedStep(view, legal) {
  const first = (...keys) => keys.find((key) => legal.has(key)) || null;
  const stage = view.stage;
  if (view.status === "not_created") return first("StartContest");
  if (view.status === "finished") return first("RevealNextPlace"); // the ceremony, while the scores are covered
  if (!stage) {
    const tiebreak = [...legal.keys()].find((key) => key.startsWith("StartTiebreak"));
    return first("StartStage") || tiebreak || first("FinishContest");
  }
  switch (stage.phase) {
    case "intro": return first("NextQuestion", "EndStage");
    case "reading": return first("OpenBuzzers");
    case "judged": return first("RevealAnswer", "NextQuestion", "EndStage");
    case "revealed":
    case "turn_over": return first("NextQuestion", "EndStage");
    case "resolved": return first("RevealAnswer", "EndStage");
    default: return null;
  }
}

export class Controls {
  /**
   * @param {CommandSender} sender
   * @param {{openFinish: () => void, confirm: (title, loss, label) => Promise<boolean>}} hooks
   *   FinishContest asks in a dialog first; so does ending a stage with play left
   */
  constructor(sender, hooks) {
    this.sender = sender;
    this.hooks = hooks;
    this.view = null;
    this.legal = new Map();
    this.refused = new Map(); // action key → the server's reason it is refused now
    this.expected = null;
    this.signatures = {};
    this.root = document.querySelector(".hc-controls");
    for (const button of this.root.querySelectorAll("button[data-command]")) {
      button.dataset.key = actionKey({ command: button.dataset.command, verdict: button.dataset.verdict });
    }
    this.root.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-key]");
      if (button && !button.disabled) this.trigger(button.dataset.key);
    });
    document.addEventListener("keydown", (event) => this.onKey(event));
    document.addEventListener("keyup", (event) => {
      if (event.key === " " && !isTyping(event)) event.preventDefault(); // no native click on a focused button
    });
  }

  /** Redraw every control for `view` (also called when the sender becomes busy or free). */
  render(view) {
    if (view) this.view = view;
    if (!this.view) return;
    view = this.view;
    this.legal = new Map((view.actions || []).map((action) => [actionKey(action), action]));
    this.refused = new Map((view.refused || []).map((entry) => [actionKey(entry), entry.reason]));
    this.expected = expectedStep(view, this.legal);
    this.renderLabels(view);
    show("interrupted", Boolean(view.stage && view.stage.interrupted));
    this.renderRisk(view);
    this.renderTiebreaks(view);
    for (const button of this.root.querySelectorAll("button[data-key]")) {
      const legal = this.legal.has(button.dataset.key);
      button.disabled = !legal || this.sender.blocked;
      button.classList.toggle("is-legal", legal);
      const next = button.dataset.key === this.expected;
      button.classList.toggle("is-next", next);
      const space = button.querySelector(".hc-space-key");
      if (space) space.hidden = !(next && SPACE_COMMANDS.has(button.dataset.command));
    }
    this.root.dataset.busy = String(this.sender.busy);
  }

  renderLabels(view) {
    const stage = view.stage;
    const perTeam = stage && (stage.kind === "speed" || stage.kind === "risk");
    this.labelOf("NextQuestion").textContent = perTeam ? "下一队" : "下一题";
    const next = stageAfter(view);
    document.getElementById("next-stage-name").textContent = next ? next.title : "（已全部完成）";
  }

  labelOf(key) {
    return this.root.querySelector(`button[data-key="${key}"] .hc-btn-label`);
  }

  /** Risk: choose a value or abstain for the team on turn (for a team without a working phone). */
  renderRisk(view) {
    const actions = (view.actions || []).filter((a) => a.command === "ChooseTier" || a.command === "Abstain");
    const panel = document.getElementById("risk-panel");
    panel.hidden = actions.length === 0;
    if (!actions.length) return;
    const team = actions[0].team;
    const online = phoneOnline(view, team);
    document.getElementById("risk-label").textContent =
      `代 ${teamLabel(view, team)} 选择${online ? "（该队手机在线，也可由手机选择）" : "（该队手机未连接）"}`;
    const left = (view.stage && view.stage.tiers_left) || {};
    this.rebuild("risk-buttons", actions.map((action) => ({
      key: actionKey(action),
      label: action.command === "Abstain" ? "放弃" : `选 ${action.tier} 分`,
      sub: action.command === "Abstain" ? "" : `剩 ${left[action.tier] ?? "?"} 题`,
      kind: action.command === "Abstain" ? "judge" : "flow",
    })));
  }

  /** One button per tied group that decides a prize, once every regular stage is played. */
  renderTiebreaks(view) {
    const groups = view.status === "running" && !view.stage && !view.next_stage ? view.pending_ties || [] : [];
    document.getElementById("tiebreak-panel").hidden = groups.length === 0;
    this.rebuild("tiebreak-buttons", groups.map((teams) => ({
      key: actionKey({ command: "StartTiebreak", teams }),
      label: `加赛：${teams.map((id) => teamLabel(view, id)).join("、")}`,
      sub: "",
      kind: "flow",
    })));
  }

  /** Replace the buttons of a container, only when they differ (keeps focus and avoids flicker). */
  rebuild(id, specs) {
    const signature = JSON.stringify(specs);
    if (this.signatures[id] === signature) return;
    this.signatures[id] = signature;
    fill(document.getElementById(id), specs.map((spec) => {
      const button = element("button", `hc-btn hc-${spec.kind}`);
      button.type = "button";
      button.dataset.key = spec.key;
      button.dataset.command = spec.key.split(":")[0];
      button.append(element("span", "hc-btn-label", spec.label));
      if (spec.sub) button.append(element("span", "hc-btn-sub", spec.sub));
      return button;
    }));
  }

  /**
   * Send the action `key` if it is legal now; FinishContest goes through its dialog. While earlier
   * commands are on their way the view is out of date, so a shortcut is queued anyway: the server
   * judges it where it was meant to act.
   */
  trigger(key) {
    const action = this.legal.get(key) || (this.sender.busy ? fixedAction(this.root, key) : null);
    const button = this.root.querySelector(`button[data-key="${CSS.escape(key)}"]`);
    const label = button ? button.querySelector(".hc-btn-label").textContent : key;
    if (!action) {
      const reason = this.refused.get(key);
      this.sender.notice("info", reason ? `现在不能「${label}」：${reason}` : `现在不能「${label}」`, REFUSED_NOTICE_MS);
      return;
    }
    if (action.command === "FinishContest") {
      this.hooks.openFinish();
      return;
    }
    const loss = action.command === "EndStage" ? lossOfEnding(this.view) : null;
    if (loss) {
      this.confirmThenRun(action, label, loss);
      return;
    }
    this.sender.run(action.command, argumentsOf(action), label);
  }

  /** Ending a stage with play left: send it only once the host confirms the named loss. */
  async confirmThenRun(action, label, loss) {
    const title = this.view.stage.kind === "tiebreak" ? "提前结束加赛？" : `提前结束「${this.view.stage.title}」？`;
    if (await this.hooks.confirm(title, loss, "确定结束，放弃未进行的部分")) {
      this.sender.run(action.command, argumentsOf(action), label);
    }
  }

  onKey(event) {
    if (isTyping(event) || document.querySelector("dialog[open]") || event.altKey) return;
    const key = event.key.toLowerCase();
    if ((event.ctrlKey || event.metaKey) && key === "z" && !event.shiftKey) {
      event.preventDefault();
      if (!event.repeat) this.trigger("Undo");
      return;
    }
    if (event.ctrlKey || event.metaKey) return;
    if (event.key === " ") {
      event.preventDefault();
      if (event.repeat) return;
      if (this.expected && SPACE_COMMANDS.has(this.expected.split(":")[0])) this.trigger(this.expected);
      else this.sender.notice("info", "空格：现在没有下一步可做（等待判定或队伍操作）", 2500);
      return;
    }
    if (KEYS[key] && !event.repeat) {
      event.preventDefault();
      this.trigger(KEYS[key]);
    }
  }
}

/**
 * The stage 开始下一环节 starts: the first regular stage not played, other than the one in play
 * (view.next_stage names the stage in play until it ends).
 */
export function stageAfter(view) {
  const current = view.stage ? view.stage.index : null;
  return (view.stages || []).find((stage, index) => !stage.played && index !== current) || null;
}

/** The action of one of the console's fixed buttons (not a risk or tiebreak choice), by its key. */
function fixedAction(root, key) {
  const button = root.querySelector(`.hc-buttons button[data-key="${CSS.escape(key)}"]`);
  if (!button) return null;
  const action = { command: button.dataset.command };
  if (button.dataset.verdict) action.verdict = button.dataset.verdict;
  return action;
}

/** Whether a key press belongs to a form field (then shortcuts stay out of the way). */
function isTyping(event) {
  const target = event.target;
  return Boolean(target && target.closest && target.closest("input, select, textarea, [contenteditable]"));
}
