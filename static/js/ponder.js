// Small enhancements; every page works without them. Messages come from
// Django's JavaScript catalogue (core/jsi18n.py), loaded before this file.

// "Copy link" buttons only make sense with JavaScript: they start hidden.
for (const button of document.querySelectorAll("[data-copy][hidden]")) {
  button.hidden = false;
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.querySelector(button.dataset.copy);
  if (!field) return;
  field.select();
  navigator.clipboard?.writeText(field.value).then(
    () => { button.textContent = gettext("Copied"); },
    () => { button.textContent = gettext("Press Ctrl+C to copy"); },
  );
});

// Opening "Reply" under a comment puts the cursor in the reply box.
document.addEventListener("toggle", (event) => {
  const details = event.target;
  if (!(details instanceof HTMLDetailsElement) || !details.open) return;
  if (!details.closest(".comment__actions")) return;
  details.querySelector("textarea")?.focus();
}, true);

// After htmx swaps in the comment thread, focus what the writer needs next:
// the field with an error, or else the newest comment (theirs, just posted).
document.addEventListener("htmx:afterSettle", (event) => {
  const path = event.detail.pathInfo?.requestPath ?? "";
  if (!path.endsWith("/comments/")) return;
  const thread = document.getElementById("comments");
  if (!thread) return;
  const invalid = thread.querySelector("[aria-invalid='true']");
  if (invalid) {
    invalid.focus();
    return;
  }
  let newest = null;
  let newestId = -1;
  for (const item of thread.querySelectorAll("li.comment[id^='comment-']")) {
    const id = Number(item.id.slice("comment-".length));
    if (id > newestId) {
      newest = item;
      newestId = id;
    }
  }
  if (newest) {
    newest.tabIndex = -1;
    newest.focus();
  }
});

// "Start from" links on a new entry reload the editor with another starting
// text. Without JavaScript they are followed as they are; with it, ask first
// once the writer has typed, rather than lose their words.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-starter]");
  if (!link) return;
  const body = document.getElementById("id_body");
  if (!body || body.value === body.defaultValue) return;
  const replace = window.confirm(
    gettext("Start again from this structure? What you have written will be replaced."),
  );
  if (!replace) event.preventDefault();
});

// A choice that saves itself: choosing a linked post's Thing sends its form.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-submit-on-change]");
  if (form && event.target instanceof HTMLSelectElement) form.requestSubmit();
});
