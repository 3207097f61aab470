// A select marked data-autosubmit sends its form when it changes (the cycle selector).
document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
