// Keyboard moves in the ratings grid: arrow up/down go to the same column in the row above/below.
document.querySelectorAll(".grid-table").forEach(function (table) {
  table.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
    const cell = event.target.closest("td");
    const row = event.target.closest("tr");
    if (!cell || !row || event.target.tagName === "SELECT") return;
    const target = event.key === "ArrowUp" ? row.previousElementSibling : row.nextElementSibling;
    if (!target) return;
    const input = target.children[cell.cellIndex] && target.children[cell.cellIndex].querySelector("input, select");
    if (input) { event.preventDefault(); input.focus(); if (input.select) input.select(); }
  });
});
