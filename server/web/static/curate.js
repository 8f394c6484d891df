// /curate/ID/ingest: while the ingest runs, ask for its state every second and reload when it ends.
(function () {
  const box = document.getElementById("ingest-state");
  if (!box || box.dataset.state !== "running") return;
  const url = box.dataset.url;
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => r.json())
      .then((job) => {
        if (job.state && job.state !== "running") { window.location.reload(); return; }
        const p = document.getElementById("ingest-progress");
        if (p && job.progress) p.textContent = job.progress.join(" ");
        setTimeout(poll, 1000);
      })
      .catch(() => setTimeout(poll, 2000));
  }
  setTimeout(poll, 1000);
})();
