// What ending the stage now would throw away: questions never shown, teams that never had their
// turn, a tiebreak whose places are not all decided. The console asks before it sends 结束本环节
// and names the loss, because a stage once ended cannot be played on.
import { teamLabel } from "/static/js/live/names.js";

/** The loss as a sentence for the host, or null when the stage has played all it planned. */
export function lossOfEnding(view) {
  const stage = view && view.stage;
  if (!stage) return null;
  const title = stage.title;
  const teamsLeft = (stage.order || []).slice(stage.turn + 1);
  switch (stage.kind) {
    case "required": {
      const left = stage.question_total - (stage.question_number || 0);
      return left > 0 ? `${title}还有 ${left} 题未出（共 ${stage.question_total} 题），结束后这些题不再作答。` : null;
    }
    case "buzzer": {
      const left = stage.planned - stage.played;
      return left > 0 ? `${title}计划 ${stage.planned} 题，已答 ${stage.played} 题，还有 ${left} 题未出，结束后不再出题。` : null;
    }
    case "speed":
    case "risk":
      return teamsLeft.length
        ? `${title}还有 ${teamsLeft.length} 队未答：${names(view, teamsLeft)}，结束后这些队伍不再轮到。`
        : null;
    case "tiebreak": {
      if (stage.phase === "resolved" || !(stage.remaining || []).length) return null;
      const placed = [...(stage.placed_top || []), ...(stage.placed_bottom || [])];
      const decided = placed.length ? `已决出的名次（${names(view, placed)}）和` : "";
      return `加赛尚未决出全部名次：${decided}本次加赛的结果将作废，${names(view, stage.order)} 仍然同分，需要重新加赛。`;
    }
    default:
      return null;
  }
}

function names(view, teams) {
  return teams.map((id) => teamLabel(view, id)).join("、");
}
