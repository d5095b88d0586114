// Ask once before a form marked data-confirm="…" (a delete) is sent; without JavaScript it is sent at once.
for (const form of document.querySelectorAll("form[data-confirm]")) {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
}
