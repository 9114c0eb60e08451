// Images in an editor: the "Add image" button, dropping and pasting an image.
// Each asks for alt text (or "decorative") in a dialog, uploads the image and
// puts its Markdown at the cursor. Without this file the form's plain file
// field uploads the image on save (templates/journal/image_upload.html).
(() => {
  const IMAGE_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"];

  const csrfToken = () =>
    document.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? "";

  const newKey = () => {
    const bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  };

  function insertAtCursor(textarea, text) {
    const start = textarea.selectionStart ?? textarea.value.length;
    const end = textarea.selectionEnd ?? start;
    const before = textarea.value.slice(0, start);
    const after = textarea.value.slice(end);
    const lead = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    const trail = after.startsWith("\n") ? "\n" : "\n\n";
    const inserted = lead + text + trail;
    textarea.value = before + inserted + after;
    const cursor = before.length + inserted.length;
    textarea.setSelectionRange(cursor, cursor);
    textarea.focus();
    // The preview and autosave listen for input.
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function setUp(box) {
    const textarea = document.getElementById(box.dataset.target);
    if (!textarea) return;
    const dialog = document.getElementById(box.dataset.dialog);
    if (!dialog) return;
    const fileInput = box.querySelector("[data-image-file]");
    const preview = dialog.querySelector("[data-image-preview]");
    const altInput = dialog.querySelector("[data-image-alt]");
    const decorative = dialog.querySelector("[data-image-decorative]");
    const error = dialog.querySelector("[data-image-error]");
    const insertButton = dialog.querySelector("[data-image-insert]");
    const status = box.querySelector("[data-image-status]");
    let pending = null; // { file, key, url }

    box.querySelector("[data-image-add]").hidden = false;
    box.querySelector("[data-image-hint]").hidden = false;
    const plain = box.querySelector("[data-image-plain]");
    if (plain) plain.hidden = true;

    function ask(file) {
      status.textContent = "";
      if (!IMAGE_TYPES.includes(file.type)) {
        status.textContent = box.dataset.notImage;
        return;
      }
      if (pending) URL.revokeObjectURL(pending.url);
      pending = { file, key: newKey(), url: URL.createObjectURL(file) };
      preview.src = pending.url;
      altInput.value = "";
      decorative.checked = false;
      error.textContent = "";
      dialog.showModal();
      altInput.focus();
    }

    async function upload() {
      const body = new FormData();
      body.append("image", pending.file, pending.file.name || "pasted-image");
      body.append("alt", altInput.value);
      if (decorative.checked) body.append("decorative", "on");
      body.append("submission", pending.key);
      insertButton.disabled = true;
      try {
        const response = await fetch(box.dataset.uploadUrl, {
          method: "POST",
          body,
          headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
          credentials: "same-origin",
        });
        const answer = await response.json().catch(() => ({}));
        if (!response.ok) {
          error.textContent = answer.message || `${response.status} ${response.statusText}`;
          return;
        }
        dialog.close("done");
        URL.revokeObjectURL(pending.url);
        pending = null;
        insertAtCursor(textarea, answer.markdown);
      } catch {
        error.textContent = box.dataset.offline;
      } finally {
        insertButton.disabled = false;
      }
    }

    dialog.addEventListener("submit", (event) => {
      if (event.submitter?.value !== "insert") return; // Cancel closes it
      event.preventDefault();
      if (!altInput.value.trim() && !decorative.checked) {
        error.textContent = box.dataset.needsAlt;
        altInput.focus();
        return;
      }
      upload();
    });
    dialog.addEventListener("close", () => textarea.focus());

    box.querySelector("[data-image-add]").addEventListener("click", () => fileInput.click());
    fileInput.addEventListener("change", () => {
      if (fileInput.files[0]) ask(fileInput.files[0]);
      fileInput.value = "";
    });
    textarea.addEventListener("dragover", (event) => {
      if (Array.from(event.dataTransfer?.types ?? []).includes("Files")) event.preventDefault();
    });
    textarea.addEventListener("drop", (event) => {
      const file = event.dataTransfer?.files?.[0];
      if (!file) return;
      event.preventDefault();
      ask(file);
    });
    textarea.addEventListener("paste", (event) => {
      const file = Array.from(event.clipboardData?.files ?? []).find((f) => f.type.startsWith("image/"));
      if (!file) return;
      event.preventDefault();
      ask(file);
    });
  }

  document.querySelectorAll("[data-image-upload]").forEach(setUp);
})();
