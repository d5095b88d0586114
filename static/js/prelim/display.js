// The preliminary round's projector: asks the server for the figures every few seconds and moves
// the bars and the leaderboard in place (each company keeps its row element, so a bar grows and
// slides to its new place instead of the whole list being redrawn: no flicker).
const root = document.getElementById("pd");
const REFRESH_MS = 5000;
const bars = new Map();

function span(className, text = "") {
  const element = document.createElement("span");
  element.className = className;
  element.textContent = text;
  return element;
}

function barRow(company) {
  let row = bars.get(company.id);
  if (!row) {
    row = document.createElement("li");
    row.className = "pd-bar";
    const track = span("pd-track");
    track.append(span("pd-fill"));
    row.append(span("pd-name"), track, span("pd-count"));
    bars.set(company.id, row);
  }
  return row;
}

function renderCompanies(companies) {
  const list = document.getElementById("pd-bars");
  const most = Math.max(1, ...companies.map((company) => company.participants));
  const keep = new Set();
  companies.forEach((company, index) => {
    const row = barRow(company);
    keep.add(company.id);
    row.querySelector(".pd-name").textContent = company.name;
    row.querySelector(".pd-fill").style.width = `${(100 * company.participants) / most}%`;
    row.querySelector(".pd-count").textContent = `${company.participants} 人 · ${company.rate}%`;
    if (list.children[index] !== row) list.insertBefore(row, list.children[index] || null);
  });
  for (const [id, row] of bars) {
    if (!keep.has(id)) {
      row.remove();
      bars.delete(id);
    }
  }
}

function renderPeople(people) {
  const list = document.getElementById("pd-leaders");
  const rows = people.map((person) => {
    const row = document.createElement("li");
    for (const [name, text] of [["pd-rank", person.rank], ["pd-person", `${person.name} ${person.mobile}`],
      ["pd-company", person.company], ["pd-score", `${person.score} 分`], ["pd-seconds", `${person.seconds} 秒`]]) {
      row.append(span(name, text));
    }
    return row;
  });
  const same = rows.length === list.children.length && rows.every((row, i) => row.textContent === list.children[i].textContent);
  if (!same) list.replaceChildren(...rows);
}

async function refresh() {
  try {
    const response = await fetch(root.dataset.url, { cache: "no-store" });
    if (response.ok) {
      const data = await response.json();
      document.getElementById("pd-participants").textContent = data.participants;
      document.getElementById("pd-attempts").textContent = data.attempts;
      renderCompanies(data.companies);
      renderPeople(data.people);
    }
  } finally {
    setTimeout(refresh, REFRESH_MS);
  }
}

refresh();
