// Which key of the hall's buzzer box belongs to which team, kept in this browser's localStorage
// per contest. Keys are KeyboardEvent.code values ("Digit3", "Numpad3", "KeyA"): the physical key,
// whatever the keyboard layout or Shift says. A key presses for one team; the defaults give each
// seat its top-row and keypad digit, and learning leaves a team the one key it learned.

const DEFAULT_SEATS = 8;

export class KeyMap {
  /**
   * @param {number} contestId
   * @param {Storage} storage  window.localStorage
   */
  constructor(contestId, storage) {
    this.storageKey = `buzzer-station:${contestId}:keys`;
    this.storage = storage;
    this.teamsByKey = this.load();
  }

  load() {
    try {
      const saved = JSON.parse(this.storage.getItem(this.storageKey) || "null");
      return saved && typeof saved === "object" ? saved : null;
    } catch (_error) {
      return null; // a damaged entry: start again from the defaults
    }
  }

  save() {
    this.storage.setItem(this.storageKey, JSON.stringify(this.teamsByKey));
  }

  /** Before anything is learned: digit keys 1–8 (top row and keypad) for seats 1–8. */
  useDefaults(teams) {
    this.teamsByKey = {};
    for (const team of teams) {
      if (team.seat >= 1 && team.seat <= DEFAULT_SEATS) {
        this.teamsByKey[`Digit${team.seat}`] = team.id;
        this.teamsByKey[`Numpad${team.seat}`] = team.id;
      }
    }
    this.save();
  }

  /** The teams are known: start from the defaults if this browser has no mapping yet. */
  ready(teams) {
    if (this.teamsByKey === null) this.useDefaults(teams);
  }

  /** `code` now presses for `teamId` (and no other key does). */
  learn(code, teamId) {
    for (const [key, team] of Object.entries(this.teamsByKey || {})) {
      if (team === teamId || key === code) delete this.teamsByKey[key];
    }
    this.teamsByKey = { ...(this.teamsByKey || {}), [code]: teamId };
    this.save();
  }

  /** The team id for a key, or null when the key is not mapped. */
  teamFor(code) {
    const team = (this.teamsByKey || {})[code];
    return Number.isInteger(team) ? team : null;
  }

  /** The keys that press for `teamId`, in a stable order. */
  keysOf(teamId) {
    return Object.entries(this.teamsByKey || {})
      .filter(([, team]) => team === teamId)
      .map(([key]) => key)
      .sort();
  }
}

/** "Digit3" → "3", "Numpad3" → "小键盘 3", "KeyA" → "A"; others as the browser names them. */
export function keyLabel(code) {
  if (/^Digit\d$/.test(code)) return code.slice(5);
  if (/^Numpad\d$/.test(code)) return `小键盘 ${code.slice(6)}`;
  if (/^Key[A-Z]$/.test(code)) return code.slice(3);
  return code;
}
