// The report page's "打印 / 存为 PDF" button (a module file: the pages allow no inline script).
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
