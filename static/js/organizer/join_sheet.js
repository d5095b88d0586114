// The join sheets' print button opens the browser's print dialog (one A4 page per team).
// A module file rather than an inline handler, so a strict Content-Security-Policy can forbid inline code.
for (const button of document.querySelectorAll("[data-action='print']")) {
  button.addEventListener("click", () => window.print());
}
