// Refreshes a background job's progress bar until the job has finished.
(function () {
  const box = document.querySelector("[data-job-status-url]");
  if (!box) return;
  const bar = box.querySelector(".progress-bar");
  const message = box.querySelector("[data-job-message]");
  const state = box.querySelector("[data-job-state]");
  async function refresh() {
    const response = await fetch(box.dataset.jobStatusUrl, {headers: {"Accept": "application/json"}});
    if (!response.ok) return;
    const job = await response.json();
    bar.style.width = job.progress + "%";
    bar.textContent = job.progress + " %";
    bar.setAttribute("aria-valuenow", job.progress);
    message.textContent = job.message;
    state.textContent = job.state_display;
    if (job.finished) { window.location.reload(); } else { setTimeout(refresh, 1000); }
  }
  if (box.dataset.jobFinished !== "true") setTimeout(refresh, 500);
})();
