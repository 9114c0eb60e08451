// A counter under each field with a length limit (data-limit, set by
// core/forms.py). Without JavaScript the limit is stated in the same place and
// the server refuses longer text with an error, keeping every word.
(() => {
  // Screen readers hear the count only when it crosses one of these shares of
  // the limit, not on every keystroke.
  const THRESHOLDS = [0.8, 0.9, 1];
  const format = new Intl.NumberFormat(document.documentElement.lang || undefined);

  const noteFor = (field) =>
    document.querySelector(`[data-limit-for="${CSS.escape(field.id)}"]`);

  const liveRegionFor = (note) => {
    const next = note.nextElementSibling;
    if (next?.matches("[data-limit-live]")) return next;
    const live = document.createElement("p");
    live.className = "visually-hidden";
    live.dataset.limitLive = "";
    live.setAttribute("aria-live", "polite");
    note.after(live);
    return live;
  };

  const update = (field) => {
    const note = noteFor(field);
    if (!note) return;
    const live = liveRegionFor(note);
    const limit = Number(field.dataset.limit);
    const length = field.value.length;
    const over = length - limit;
    const template = over > 0 ? note.dataset.overText : note.dataset.countText;
    note.textContent = template
      .replace("{count}", format.format(length))
      .replace("{limit}", format.format(limit))
      .replace("{over}", format.format(over));
    note.classList.toggle("limit--over", over > 0);
    const level = THRESHOLDS.filter((share) => length >= share * limit).length;
    if (level !== Number(note.dataset.level ?? level)) {
      live.textContent = level ? note.textContent : "";
    }
    note.dataset.level = level;
  };

  const start = (root) => {
    for (const field of root.querySelectorAll("[data-limit]")) update(field);
  };

  document.addEventListener("input", (event) => {
    if (event.target.matches?.("[data-limit]")) update(event.target);
  });
  document.addEventListener("htmx:load", (event) => start(event.target));
  start(document);
})();
