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

// Selects over large tables (oe21/lib/forms.py bounded_choices) ---------------------------------
function replaceOptions(select, results, keepChosen) {
  var chosen = keepChosen ? select.value : "";
  var kept = keepChosen && chosen ? select.querySelector("option[value='" + chosen + "']") : null;
  select.innerHTML = "";
  var blank = document.createElement("option");
  blank.value = "";
  blank.textContent = results.length ? "---------" : "(none)";
  select.appendChild(blank);
  if (kept && !results.some(function (r) { return String(r.id) === chosen; })) select.appendChild(kept);
  results.forEach(function (r) {
    var option = document.createElement("option");
    option.value = r.id;
    option.textContent = r.text;
    select.appendChild(option);
  });
  select.value = chosen;
}

// A select with data-lookup-url gets a search box: typing fetches the best matches as its options.
document.querySelectorAll("select[data-lookup-url]").forEach(function (select) {
  var box = document.createElement("input");
  box.type = "search";
  box.className = "form-control form-control-sm mb-1";
  box.placeholder = "Type to search (name, NAICS or ZIP)…";
  box.setAttribute("aria-label", "Search for " + (select.labels[0] ? select.labels[0].textContent.trim() : "a record"));
  box.dataset.lookupFor = select.id;
  select.parentNode.insertBefore(box, select);
  var timer = null;
  box.addEventListener("input", function () {
    clearTimeout(timer);
    if (box.value.trim().length < 2) return;
    timer = setTimeout(function () {
      fetch(select.dataset.lookupUrl + "?q=" + encodeURIComponent(box.value.trim()), {credentials: "same-origin"})
        .then(function (response) { return response.json(); })
        .then(function (data) {
          replaceOptions(select, data.results, true);
          if (data.results.length && !select.value) {
            select.value = data.results[0].id;
            select.dispatchEvent(new Event("change"));
          }
        });
    }, 250);
  });
});

// A select with data-follows reloads its options when the select it follows changes.
document.querySelectorAll("select[data-follows]").forEach(function (select) {
  var leader = document.getElementById(select.dataset.follows);
  if (!leader) return;
  leader.addEventListener("change", function () {
    if (!leader.value) { replaceOptions(select, [], false); return; }
    fetch(select.dataset.optionsUrl.replace("{}", encodeURIComponent(leader.value)), {credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (data) { replaceOptions(select, data.results, false); });
  });
});
