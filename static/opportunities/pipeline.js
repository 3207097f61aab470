// The pipeline board: drag a card to another column to move the opportunity there. A status that
// needs a reason (No progress, Unsubscribed, Not interested) asks for it in a dialog first; the
// card's own select and Move button do the same for keyboard users.
(function () {
  var board = document.querySelector("[data-testid=pipeline]");
  var dialog = document.getElementById("reason-dialog");
  if (!board || !dialog) return;
  var needsReason = (board.dataset.needsReason || "").split(" ");
  var reasonForm = dialog.querySelector("form");
  var labels = {};
  board.querySelectorAll(".pipeline-column").forEach(function (column) {
    labels[column.dataset.status] = column.getAttribute("aria-label");
  });

  function move(card, status) {
    var form = card.querySelector("form.move-form");
    if (!form) return;
    if (needsReason.indexOf(status) >= 0) {
      reasonForm.action = form.action;
      reasonForm.elements.status.value = status;
      dialog.querySelector("[data-reason-card]").textContent = card.querySelector("a").textContent;
      dialog.querySelector("[data-reason-status]").textContent = labels[status] || status;
      reasonForm.elements.reason.value = "";
      dialog.showModal();
      reasonForm.elements.reason.focus();
      return;
    }
    form.elements.status.value = status;
    form.submit();
  }

  dialog.querySelector("[data-reason-cancel]").addEventListener("click", function () { dialog.close(); });

  board.querySelectorAll("form.move-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var status = form.elements.status.value;
      if (needsReason.indexOf(status) >= 0) {
        event.preventDefault();
        move(form.closest(".pipeline-card"), status);
      }
    });
  });

  var dragged = null;
  board.querySelectorAll(".pipeline-card[draggable=true]").forEach(function (card) {
    card.addEventListener("dragstart", function (event) {
      dragged = card;
      card.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.dataset.testid || "card");
    });
    card.addEventListener("dragend", function () { card.classList.remove("dragging"); });
  });
  board.querySelectorAll(".pipeline-column").forEach(function (column) {
    column.addEventListener("dragover", function (event) {
      if (!dragged || dragged.closest(".pipeline-column") === column) return;
      event.preventDefault();
      column.classList.add("drop-target");
    });
    column.addEventListener("dragleave", function () { column.classList.remove("drop-target"); });
    column.addEventListener("drop", function (event) {
      event.preventDefault();
      column.classList.remove("drop-target");
      if (dragged && dragged.closest(".pipeline-column") !== column) move(dragged, column.dataset.status);
      dragged = null;
    });
  });
})();
