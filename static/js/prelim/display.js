// The preliminary round's projector: asks the server for the figures every few seconds and moves
// the bars and the leaderboard in place (each company keeps its row element, so a bar grows and
// slides to its new place instead of the whole list being redrawn: no flicker). A round has a
// hundred companies or more and a screen room for a dozen or so bars: the list is shown a
// screenful at a time, turning to the next every few seconds, with its page and places named.
const root = document.getElementById("pd");
const REFRESH_MS = 5000;
const PAGE_MS = 8000;
const bars = new Map();
let order = []; // the companies' rows, most participants first
let page = 0;

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
    row.append(span("pd-place"), span("pd-name"), track, span("pd-count"));
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
    row.querySelector(".pd-place").textContent = index + 1;
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
  order = companies.map((company) => bars.get(company.id));
  showPage();
}

function rowsPerPage() {
  // How many bars fit between the top of the list and the bottom of its section.
  const list = document.getElementById("pd-bars");
  const sample = order.find((row) => !row.hidden) || order[0];
  if (!sample) return 1;
  const hidden = sample.hidden;
  sample.hidden = false;
  const step = sample.offsetHeight + parseFloat(getComputedStyle(sample).marginBottom);
  sample.hidden = hidden;
  const room = list.parentElement.getBoundingClientRect().bottom - list.getBoundingClientRect().top;
  return Math.max(1, Math.floor(room / step));
}

function showPage() {
  const size = rowsPerPage();
  const pages = Math.max(1, Math.ceil(order.length / size));
  page %= pages;
  order.forEach((row, index) => { row.hidden = Math.floor(index / size) !== page; });
  const first = page * size + 1;
  const last = Math.min(order.length, first + size - 1);
  document.getElementById("pd-page").textContent =
    pages > 1 ? `第 ${first}–${last} 名（共 ${order.length} 个单位，第 ${page + 1}/${pages} 页）` : "";
}

function turnPage() {
  page += 1;
  showPage();
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
setInterval(turnPage, PAGE_MS);
window.addEventListener("resize", showPage);
