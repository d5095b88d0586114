// The one confirmation a team gives before an answer or a risk value goes out: it cannot be
// taken back, and a thumb slips easily on a phone held in one hand.
import { element } from "/static/js/live/names.js";

/**
 * A panel asking "确认…？" with a confirm and a back button.
 * @param {{title: string, lines?: string[], confirmText: string, onConfirm: () => void, onBack: () => void,
 *          busy?: boolean}} options
 */
export function confirmStep({ title, lines = [], confirmText, onConfirm, onBack, busy = false }) {
  const panel = element("div", "ph-confirm");
  panel.setAttribute("role", "group");
  panel.setAttribute("aria-label", title);
  panel.append(element("p", "ph-confirm-title", title));
  for (const line of lines) panel.append(element("p", "ph-confirm-line", line));
  const row = element("div", "ph-confirm-row");
  const back = element("button", "ph-btn ph-btn-quiet", "返回修改");
  back.type = "button";
  back.disabled = busy;
  back.addEventListener("click", onBack);
  const confirm = element("button", "ph-btn ph-btn-main", busy ? "正在提交…" : confirmText);
  confirm.type = "button";
  confirm.disabled = busy;
  confirm.addEventListener("click", onConfirm);
  row.append(back, confirm);
  panel.append(row);
  return panel;
}
