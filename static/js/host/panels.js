// The forms of the console: a score adjustment (team, points, reason — all required), the
// confirmation before FinishContest, the one decision that cannot be undone, and the question
// asked before a command that discards planned play.
import { element, teamLabel } from "/static/js/live/names.js";
import { fill } from "./dom.js";

/** Below this window height the form starts folded, so the buzz log keeps its room. */
const FOLD_BELOW_PX = 740;

/** The score-adjustment form; enabled while view.actions offers AdjustScore (from the start on). */
export function adjustForm(sender) {
  const form = document.getElementById("adjust-form");
  document.getElementById("adjust-panel").open = window.innerHeight >= FOLD_BELOW_PX;
  const select = document.getElementById("adjust-team");
  const submit = form.querySelector("button[type=submit]");
  let teamsSignature = "";
  let lastView = null;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const delta = Number(form.delta.value);
    const reason = form.reason.value;
    const team = Number(select.value);
    const label = `调整分数 ${teamLabel(lastView, team)} ${delta > 0 ? "+" : ""}${delta}`;
    const ack = await sender.run("AdjustScore", { team, delta, reason }, label, false);
    if (ack && ack.ok) {
      form.delta.value = "";
      form.reason.value = "";
    }
  });
  return (view) => {
    lastView = view;
    const teams = [...(view.teams || [])].sort((a, b) => a.seat - b.seat);
    const signature = teams.map((team) => `${team.id}:${team.seat}:${team.name}`).join("|");
    if (signature !== teamsSignature) {
      teamsSignature = signature;
      const chosen = select.value;
      fill(select, teams.map((team) => {
        const option = element("option", "", `${team.seat}号 ${team.name}`);
        option.value = String(team.id);
        return option;
      }));
      if (chosen) select.value = chosen;
    }
    const open = (view.actions || []).some((action) => action.command === "AdjustScore");
    submit.disabled = !open || sender.blocked;
    submit.classList.toggle("is-legal", open);
  };
}

/** The FinishContest dialog: shows the final standings and asks once. */
export function finishDialog(sender) {
  const dialog = document.getElementById("finish-dialog");
  let lastView = null;
  dialog.addEventListener("close", () => {
    if (dialog.returnValue === "confirm") sender.run("FinishContest", {}, "结束比赛", false);
  });
  return {
    update(view) {
      lastView = view;
    },
    open() {
      const lines = (lastView && lastView.standings) || [];
      fill(document.getElementById("finish-standings"), lines.map((line) => {
        const item = element("li", "");
        item.append(
          element("span", "hc-final-place", `第 ${line.place} 名`),
          element("span", "hc-final-team", teamLabel(lastView, line.team)),
          element("span", "hc-final-score", `${line.score} 分`),
          element("span", "hc-final-prize", line.prize || ""),
        );
        return item;
      }));
      dialog.returnValue = "";
      dialog.showModal();
    },
  };
}

/** The confirmation before a command that discards planned play: `ask(title, loss, confirm)` → true to go on. */
export function confirmDialog() {
  const dialog = document.getElementById("confirm-dialog");
  let answer = () => {};
  dialog.addEventListener("close", () => answer(dialog.returnValue === "confirm"));
  return {
    ask(title, loss, confirm) {
      document.getElementById("confirm-title").textContent = title;
      document.getElementById("confirm-loss").textContent = loss;
      document.getElementById("confirm-go").textContent = confirm;
      dialog.returnValue = "";
      dialog.showModal();
      return new Promise((resolve) => { answer = resolve; });
    },
  };
}
