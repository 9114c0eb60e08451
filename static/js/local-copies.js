// Copies of writing kept in this browser by static/js/editor.js, under keys
// "ponder:<user id>:<entry>". On every page: drop the copies the server now has,
// and every copy of a person who signs out (shared computers).
(() => {
  let storage;
  try {
    storage = window.localStorage;
    storage.getItem("ponder:probe");
  } catch {
    return; // storage disabled: editor.js says so where it matters
  }

  const read = (key) => {
    try {
      return JSON.parse(storage.getItem(key));
    } catch {
      return null;
    }
  };

  // After a plain form save the server names the copies it now holds. A copy
  // goes only if it is still what was submitted: a later keystroke in another
  // tab rewrites it without the mark, and must not be lost.
  const saved = document.querySelector("[data-local-copies-saved]");
  if (saved) {
    for (const key of saved.dataset.localCopiesSaved.split(" ")) {
      if (key && read(key)?.submitted) storage.removeItem(key);
    }
  }

  const keysWith = (prefix) => {
    const keys = [];
    for (let index = 0; index < storage.length; index += 1) {
      const key = storage.key(index);
      if (key?.startsWith(prefix)) keys.push(key);
    }
    return keys;
  };

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-local-copies-prefix]");
    if (!form) return;
    const keys = keysWith(form.dataset.localCopiesPrefix);
    const unsent = keys.filter((key) => !read(key)?.submitted);
    if (
      unsent.length &&
      !window.confirm(
        gettext(
          "Some of your writing has not reached Ponder yet and is kept only on this device. Sign out and delete it from this device?",
        ),
      )
    ) {
      event.preventDefault();
      return;
    }
    for (const key of keys) storage.removeItem(key);
    // The editor, if open, must not write its copy back as the page unloads.
    document.dispatchEvent(new CustomEvent("ponder:signing-out"));
  });
})();
