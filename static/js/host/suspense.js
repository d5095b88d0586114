// What the hall sees of the scores (docs/rules.md 悬念), beside the console's suspense buttons:
// the console itself always shows the real scores, so the host must read here what the display
// and the phones show, and in the ceremony who 揭晓下一名 uncovers next.
import { teamLabel } from "/static/js/live/names.js";

const STATES = {
  live: "实时显示",
  hidden: "已隐藏（大屏和手机不显示比分与名次）",
  frozen: "已冻结（大屏和手机停在冻结时的比分）",
  ceremony: "颁奖揭晓中",
};

/** Fill #suspense-panel from the host view's `suspense`. */
export function renderSuspense(view) {
  const suspense = view.suspense || {};
  const mode = suspense.mode || "live";
  const panel = document.getElementById("suspense-panel");
  panel.dataset.mode = mode;
  let state = STATES[mode] || mode;
  if (mode === "ceremony") state += ` ${suspense.revealed || 0} / ${suspense.total}`;
  document.getElementById("suspense-state").textContent = state;
  const next = suspense.next;
  document.getElementById("suspense-next").textContent = next
    ? `下一位：第${next.place}名 ${teamLabel(view, next.team)}（${next.score}分${next.prize ? ` · ${next.prize}` : ""}）`
    : "";
}
