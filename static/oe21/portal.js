// Small behaviours of every page, kept out of the HTML so that the Content-Security-Policy can
// forbid inline scripts (oe21/settings.py).

// A select marked data-autosubmit sends its form when it changes (the cycle selector).
document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});

// The fields inside an element marked data-small-fields get Bootstrap's small form styles.
document.querySelectorAll("[data-small-fields]").forEach(function (box) {
  box.querySelectorAll("select, textarea, input:not([type=hidden]):not([type=checkbox]):not([type=radio])")
    .forEach(function (field) {
      field.classList.add(field.tagName === "SELECT" ? "form-select" : "form-control",
                          field.tagName === "SELECT" ? "form-select-sm" : "form-control-sm");
    });
});

// A button marked data-print prints the page.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
