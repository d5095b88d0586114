// Risk stage, on the team's turn: one big card per value (10/20/30 by default) with the number of
// questions left behind it, and "放弃"; each asks for one confirmation.
import { element } from "/static/js/live/names.js";
import { confirmStep } from "/static/js/team/confirm_step.js";

export class TierPad {
  /**
   * @param {HTMLElement} root
   * @param {{choose: (tier: number) => Promise<object>, abstain: () => Promise<object>}} actions
   */
  constructor(root, actions) {
    this.root = root;
    this.actions = actions;
    this.signature = null;
    this.pending = null; // {tier} or {abstain: true} while asking for confirmation
    this.busy = false;
    this.problem = "";
  }

  /** Show the tiers of `stage`; drawn again only when they or the turn changed (see AnswerPad.show). */
  show(stage, turnKey) {
    const signature = JSON.stringify([turnKey, stage.tiers, stage.tiers_left]);
    if (signature === this.signature) return;
    if (this.signature == null || JSON.parse(this.signature)[0] !== turnKey) {
      this.pending = null;
      this.problem = "";
    }
    this.signature = signature;
    this.stage = stage;
    this.draw();
  }

  left(tier) {
    const left = (this.stage.tiers_left || {})[String(tier)];
    return left == null ? null : left;
  }

  async run(action) {
    this.busy = true;
    this.draw();
    const ack = await action();
    this.busy = false;
    if (ack.ok) {
      this.signature = null;
      this.pending = null;
      this.root.replaceChildren();
      return;
    }
    this.pending = null;
    this.problem = ack.reason || "操作失败，请重试";
    this.draw();
  }

  draw() {
    this.root.replaceChildren(this.pending ? this.confirmation() : this.choices());
  }

  confirmation() {
    const { tier } = this.pending;
    if (tier != null) {
      return confirmStep({
        title: `确认选择 ${tier} 分？`, lines: [`答对 +${tier} 分，答错或超时 −${tier} 分`, "选定后不能更改"],
        confirmText: `选 ${tier} 分`, busy: this.busy,
        onConfirm: () => this.run(() => this.actions.choose(tier)),
        onBack: () => { this.pending = null; this.draw(); },
      });
    }
    return confirmStep({
      title: "确认放弃本轮？", lines: ["本轮得 0 分"], confirmText: "确认放弃", busy: this.busy,
      onConfirm: () => this.run(() => this.actions.abstain()),
      onBack: () => { this.pending = null; this.draw(); },
    });
  }

  choices() {
    const box = element("div", "ph-tier-box");
    const grid = element("div", "ph-tiers");
    for (const tier of this.stage.tiers || []) {
      const left = this.left(tier);
      const card = element("button", "ph-tier");
      card.type = "button";
      card.dataset.tier = String(tier);
      card.disabled = left === 0;
      card.append(element("span", "ph-tier-value", tier), element("span", "ph-tier-unit", "分"),
        element("span", "ph-tier-left", left == null ? "" : left > 0 ? `剩 ${left} 题` : "已用完"));
      card.addEventListener("click", () => { this.pending = { tier }; this.problem = ""; this.draw(); });
      grid.append(card);
    }
    box.append(grid);
    if (this.problem) box.append(element("p", "ph-problem", this.problem));
    const abstain = element("button", "ph-btn ph-btn-quiet ph-abstain", "放弃");
    abstain.type = "button";
    abstain.addEventListener("click", () => { this.pending = { abstain: true }; this.problem = ""; this.draw(); });
    box.append(abstain);
    return box;
  }
}
