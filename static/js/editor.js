// The editor's autosave: "No lost writing" (DESIGN.md). Progressive enhancement:
// without this file the editor saves, publishes and previews by plain posts.
//
// While the writer types, the text is kept in localStorage at once and sent to
// the server about two seconds after they stop. Every save carries the version
// it started from (base_version); a 409 means someone saved a newer version
// elsewhere, and the writer chooses. Copies on the device go once the server
// has the same words, and are offered back when a page opens with older ones.
// Messages come from Django's JavaScript catalogue (core/jsi18n.py): each is a
// whole sentence, one for a browser that keeps a copy and one for one that cannot.
(() => {
  const form = document.querySelector("form[data-autosave-url]");
  if (!form) return;

  const status = form.querySelector("[data-autosave-status]");
  const baseInput = form.querySelector("input[name=base_version]");
  const offerPanel = document.querySelector("[data-local-copy-offer]");
  const conflictPanel = document.querySelector("[data-conflict]");
  const WORDS = ["title", "body", "action"];
  // The plain image fields (templates/journal/image_upload.html) are sent on save only.
  const NOT_FIELDS = new Set([
    "csrfmiddlewaretoken", "base_version", "editor_key", "image", "image_alt", "image_decorative",
  ]);
  const RETRY_MS = [2000, 5000, 10000, 30000, 60000];
  const SIGNED_OUT_RETRY_MS = [15000, 30000, 60000];
  const REQUEST_TIMEOUT_MS = 20000;

  let autosaveUrl = form.dataset.autosaveUrl;
  let storageKey = form.dataset.localCopyKey;

  let dirty = false; // changes the server has not confirmed
  let inFlight = false;
  let again = false; // more typing arrived while a save was in flight
  let blocked = null; // "conflict" or "gone": no autosave until resolved
  let submitting = false; // a plain form submit is on its way
  let resubmitWith = null; // a submit held back until the save in flight ends
  let offering = null; // the device's copy offered back, not yet chosen
  let applying = false; // fields set by this script, not typed
  let signingOut = false; // local-copies.js cleared this person's copies
  let conflict = null;
  let failures = 0;
  let tokenRefreshed = false;
  let saveTimer = null;
  let retryTimer = null;
  let copyTimer = null;

  // localStorage can be disabled, full or blocked; the writer must be told.
  let storage = null;
  try {
    storage = window.localStorage;
    storage.getItem("ponder:probe");
  } catch {
    storage = null;
  }

  // --- fields -------------------------------------------------------------

  const fieldPairs = () =>
    [...new FormData(form)].filter(
      ([name, value]) => !NOT_FIELDS.has(name) && typeof value === "string",
    );

  const wordsOf = (pairs) => {
    const words = {};
    for (const name of WORDS) {
      words[name] = pairs.find(([key]) => key === name)?.[1] ?? "";
    }
    return words;
  };

  // Line endings differ between a textarea's value and what the server sends.
  const normal = (text) => (text ?? "").replace(/\r\n?/g, "\n").trim();
  const sameWords = (a, b) => WORDS.every((name) => normal(a[name]) === normal(b[name]));
  const samePairs = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  const changed = (element) => {
    applying = true;
    element.dispatchEvent(new Event("input", { bubbles: true }));
    element.dispatchEvent(new Event("change", { bubbles: true }));
    applying = false;
  };

  const setPairs = (pairs) => {
    const values = new Map();
    for (const [name, value] of pairs) {
      if (!values.has(name)) values.set(name, []);
      values.get(name).push(value);
    }
    for (const element of form.elements) {
      const name = element.name;
      if (!name || NOT_FIELDS.has(name) || !values.has(name)) continue;
      const wanted = values.get(name);
      const before = element.type === "radio" || element.type === "checkbox"
        ? element.checked
        : element.value;
      if (element.type === "radio" || element.type === "checkbox") {
        element.checked = wanted.includes(element.value);
      } else if (element.multiple) {
        for (const option of element.options) {
          option.selected = wanted.includes(option.value);
        }
      } else if (element.type !== "submit" && element.type !== "button") {
        element.value = wanted[0] ?? "";
      }
      const after = element.type === "radio" || element.type === "checkbox"
        ? element.checked
        : element.value;
      if (before !== after) changed(element);
    }
  };

  const setWords = (words) =>
    setPairs(WORDS.map((name) => [name, words[name] ?? ""]));

  const base = () => Number(baseInput.value) || 0;
  const setBase = (version) => {
    baseInput.value = String(version);
  };

  // --- the copy on this device ---------------------------------------------

  const readCopy = (key = storageKey) => {
    if (!storage) return null;
    try {
      const copy = JSON.parse(storage.getItem(key));
      return copy && Array.isArray(copy.fields) ? copy : null;
    } catch {
      return null;
    }
  };

  let copyKept = storage !== null;
  const keepCopy = ({ submitted = false } = {}) => {
    clearTimeout(copyTimer);
    if (!storage || offering || signingOut) return;
    const fields = fieldPairs();
    const copy = {
      fields,
      words: wordsOf(fields),
      baseVersion: base(),
      savedAt: Date.now(),
      submitted,
    };
    try {
      storage.setItem(storageKey, JSON.stringify(copy));
      copyKept = true;
    } catch {
      copyKept = false; // full or refused: say so instead of "kept on this device"
    }
  };

  const keepCopySoon = () => {
    clearTimeout(copyTimer);
    copyTimer = setTimeout(keepCopy, 300);
  };

  const dropCopyIfSaved = (savedWords) => {
    const copy = readCopy();
    if (copy && sameWords(copy.words, savedWords)) storage.removeItem(storageKey);
  };

  const moveCopy = (toKey) => {
    const copy = readCopy();
    if (storage && copy) {
      try {
        storage.setItem(toKey, JSON.stringify(copy));
        storage.removeItem(storageKey);
      } catch {
        // The old key still holds it.
      }
    }
    storageKey = toKey;
    form.dataset.localCopyKey = toKey;
  };

  // --- the indicator -------------------------------------------------------

  const clock = (when) => {
    const date = new Date(when);
    const today = new Date().toDateString() === date.toDateString();
    const options = { hour: "2-digit", minute: "2-digit" };
    return today
      ? date.toLocaleTimeString([], options)
      : date.toLocaleString([], { day: "numeric", month: "short", ...options });
  };

  // Fill a message's %(name)s placeholders.
  const fill = (format, values) => interpolate(format, values, true);

  // The same message for a browser that keeps a copy and for one that cannot.
  const keptOr = (keptText, notKeptText) => (copyKept ? keptText : notKeptText);

  const say = (state, text) => {
    status.dataset.state = state;
    if (status.textContent !== text) status.textContent = text;
  };

  const show = {
    saving: () => say("saving", gettext("Saving…")),
    saved: (when, pending) =>
      say(
        "saved",
        fill(
          pending
            ? gettext("Saved at %(time)s — readers see the changes once you press Update")
            : gettext("Saved at %(time)s"),
          { time: clock(when) },
        ),
      ),
    offline: () =>
      say(
        "error",
        keptOr(
          gettext("Not saved: offline, kept on this device"),
          gettext("Not saved: offline, and this browser cannot keep a copy: keep this tab open"),
        ),
      ),
    unreachable: () =>
      say(
        "error",
        keptOr(
          gettext("Not saved: Ponder cannot be reached, kept on this device, retrying"),
          gettext(
            "Not saved: Ponder cannot be reached, and this browser cannot keep a copy: keep this tab open, retrying",
          ),
        ),
      ),
    signedOut: () =>
      say(
        "error",
        keptOr(
          gettext("Not saved: signed out — sign in again in another tab; your text is kept on this device"),
          gettext(
            "Not saved: signed out — sign in again in another tab; your text is only in this tab: keep it open",
          ),
        ),
      ),
    serverError: () =>
      say(
        "error",
        keptOr(
          gettext("Not saved: server error, kept on this device, retrying"),
          gettext(
            "Not saved: server error, and this browser cannot keep a copy: keep this tab open, retrying",
          ),
        ),
      ),
    invalid: (message) =>
      say(
        "error",
        fill(
          keptOr(
            // Translators: %(message)s is the server's reason, a sentence of its own.
            gettext("Not saved: %(message)s Your text is kept on this device."),
            gettext("Not saved: %(message)s This browser cannot keep a copy of your text: keep this tab open."),
          ),
          { message },
        ),
      ),
    conflict: () =>
      say(
        "error",
        keptOr(
          gettext(
            "Not saved: a newer version was saved elsewhere — choose which to keep at the top of the page; your text is kept on this device",
          ),
          gettext(
            "Not saved: a newer version was saved elsewhere — choose which to keep at the top of the page; this browser cannot keep a copy of your text: keep this tab open",
          ),
        ),
      ),
    gone: () =>
      say(
        "error",
        keptOr(
          gettext("Not saved: this entry is no longer there; your text is kept on this device"),
          gettext(
            "Not saved: this entry is no longer there; this browser cannot keep a copy of your text: keep this tab open",
          ),
        ),
      ),
    deleted: (message) =>
      say(
        "error",
        keptOr(
          fill(gettext("Not saved: %(message)s"), { message }),
          gettext(
            "Not saved: this entry was deleted; restore it from Deleted entries. This browser cannot keep a copy of your text: keep this tab open",
          ),
        ),
      ),
  };

  // --- saving --------------------------------------------------------------

  const delay = () => Number(form.dataset.autosaveDelay) || 2000;

  const saveSoon = (ms = delay()) => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, ms);
  };

  const retryLater = (steps = RETRY_MS) => {
    failures += 1;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(save, steps[Math.min(failures - 1, steps.length - 1)]);
  };

  const csrfToken = () =>
    form.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? "";

  // Signing in again (in another tab) gives the browser a new CSRF cookie; the
  // token in this page is then refused with a 403. Fetch this page for a fresh one.
  const refreshToken = async () => {
    try {
      const response = await fetch(window.location.href, { credentials: "same-origin" });
      if (!response.ok) return false;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const token = page.querySelector("input[name=csrfmiddlewaretoken]")?.value;
      if (!token) return false;
      for (const input of document.querySelectorAll("input[name=csrfmiddlewaretoken]")) {
        input.value = token;
      }
      return true;
    } catch {
      return false;
    }
  };

  const post = () => {
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    return fetch(autosaveUrl, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin",
      redirect: "manual", // a redirect to sign in is not a save
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      signal: controller.signal,
    }).finally(() => clearTimeout(timeout));
  };

  // The entry now has an address (its first autosave created it), or the
  // writer chose to continue on an entry another page created.
  const adopt = (data) => {
    if (data.autosave_url) {
      autosaveUrl = data.autosave_url;
      form.dataset.autosaveUrl = data.autosave_url;
    }
    if (data.edit_url && window.location.pathname !== data.edit_url) {
      window.history.replaceState(window.history.state, "", data.edit_url);
      form.action = data.edit_url;
    }
    if (data.storage_key && data.storage_key !== storageKey) moveCopy(data.storage_key);
    // "Start from" replaces the text of a new entry only; this one exists now.
    if (data.created) document.querySelector(".starters")?.remove();
  };

  async function save() {
    clearTimeout(saveTimer);
    clearTimeout(retryTimer);
    if (blocked || submitting || !dirty) return;
    if (inFlight) {
      again = true;
      return;
    }
    if (!navigator.onLine) {
      show.offline(); // the "online" event brings us back
      return;
    }
    keepCopy();
    inFlight = true;
    const sent = fieldPairs();
    show.saving();
    let response = null;
    try {
      response = await post();
    } catch {
      response = null;
    }
    inFlight = false;
    await handle(response, sent);
    if (resubmitWith) {
      const submitter = resubmitWith;
      resubmitWith = null;
      form.requestSubmit(submitter);
      return;
    }
    if (again) {
      again = false;
      if (dirty) saveSoon();
    }
  }

  async function handle(response, sent) {
    if (response === null) {
      if (navigator.onLine) show.unreachable();
      else show.offline();
      retryLater();
      return;
    }
    if (response.type === "opaqueredirect") {
      show.signedOut();
      retryLater(SIGNED_OUT_RETRY_MS);
      return;
    }
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (response.ok && data) {
      failures = 0;
      tokenRefreshed = false;
      setBase(data.version);
      adopt(data);
      dropCopyIfSaved(wordsOf(sent));
      if (samePairs(fieldPairs(), sent)) dirty = false;
      else saveSoon();
      show.saved(data.saved_at, data.pending);
      return;
    }
    switch (response.status) {
      case 401:
        show.signedOut();
        retryLater(SIGNED_OUT_RETRY_MS);
        return;
      case 403:
        if (!tokenRefreshed && (await refreshToken())) {
          tokenRefreshed = true;
          again = true;
          return;
        }
        show.signedOut();
        retryLater(SIGNED_OUT_RETRY_MS);
        return;
      case 404:
        blocked = "gone";
        show.gone();
        return;
      case 410:
        blocked = "gone";
        show.deleted(data?.message ?? gettext("this entry was deleted."));
        return;
      case 409:
        if (data) {
          showConflict(data);
          return;
        }
        break;
      case 422:
        show.invalid(data?.message ?? gettext("check the fields."));
        return; // the next keystroke tries again
      case 429: {
        // Too many new entries: try again once the limit's window has passed.
        show.invalid(data?.message ?? gettext("too many new entries for now."));
        const seconds = Number(response.headers.get("Retry-After")) || 60;
        retryLater([seconds * 1000]);
        return;
      }
      default:
        break;
    }
    show.serverError();
    retryLater();
  }

  // --- a newer version saved elsewhere --------------------------------------

  const line = (tag, className, text) => {
    const element = document.createElement(tag);
    element.className = className;
    element.textContent = text;
    return element;
  };

  const renderDiff = (target, diff) => {
    target.replaceChildren();
    const field = (label, change) => {
      const p = line("p", "diff__field", "");
      p.append(line("span", "diff__label", `${label} `));
      if (change.old) p.append(line("del", "", change.old), " → ");
      p.append(line("ins", "", change.new));
      target.append(p);
    };
    if (diff.title) field(gettext("Title:"), diff.title);
    if (diff.body.length) {
      const pre = line("pre", "diff__lines", "");
      for (const { kind, text } of diff.body) {
        if (kind === "added") pre.append(line("ins", "diff__line diff__line--added", `+ ${text}`));
        else if (kind === "removed") pre.append(line("del", "diff__line diff__line--removed", `− ${text}`));
        else if (kind === "gap") pre.append(line("span", "diff__line diff__line--gap", "⋯"));
        else pre.append(line("span", "diff__line", `  ${text}`));
      }
      target.append(pre);
    }
    if (diff.action) field(gettext("Action:"), diff.action);
    if (!diff.title && !diff.body.length && !diff.action) {
      target.append(line("p", "muted", gettext("The words are the same; other settings differ.")));
    }
  };

  function showConflict(data) {
    conflict = data;
    blocked = "conflict";
    conflictPanel.querySelector("[data-conflict-detail]").textContent = fill(
      data.pending
        ? gettext("version %(version)s, saved at %(time)s, not published yet")
        : gettext("version %(version)s, saved at %(time)s"),
      { version: data.version, time: clock(data.saved_at) },
    );
    renderDiff(conflictPanel.querySelector("[data-conflict-diff]"), data.diff);
    conflictPanel.querySelector("[data-conflict-title]").textContent = data.server.title;
    conflictPanel.querySelector("[data-conflict-body]").textContent = data.server.body;
    conflictPanel.querySelector("[data-conflict-action]").textContent =
      data.server.action || gettext("(none)");
    conflictPanel.hidden = false;
    show.conflict();
  }

  const closeConflict = () => {
    conflictPanel.hidden = true;
    blocked = null;
    const data = conflict;
    conflict = null;
    setBase(data.version);
    adopt(data);
    return data;
  };

  conflictPanel?.querySelector("[data-conflict-keep-mine]").addEventListener("click", () => {
    closeConflict();
    dirty = true;
    failures = 0;
    save();
    form.querySelector("[name=body]")?.focus();
  });

  conflictPanel?.querySelector("[data-conflict-keep-saved]").addEventListener("click", () => {
    const data = closeConflict();
    setWords(data.server);
    keepCopy();
    dropCopyIfSaved(data.server);
    dirty = false;
    say(
      "saved",
      fill(gettext("Showing the saved version (version %(version)s), saved at %(time)s"), {
        version: data.version,
        time: clock(data.saved_at),
      }),
    );
    form.querySelector("[name=body]")?.focus();
  });

  // --- a copy on this device, newer or different ----------------------------

  const offer = (copy) => {
    offering = copy;
    const serverVersion = Number(form.dataset.serverVersion) || 0;
    const serverSavedAt = Date.parse(form.dataset.serverSavedAt || "") || 0;
    const newer = copy.savedAt > serverSavedAt || copy.baseVersion >= serverVersion;
    let detail = gettext("Kept on this device at %(time)s: it was never saved to the server.");
    if (serverVersion && newer) {
      detail = serverSavedAt
        ? gettext(
            "Kept on this device at %(time)s, after the saved version (version %(version)s, %(saved)s): it has changes the server never received.",
          )
        : gettext(
            "Kept on this device at %(time)s, after the saved version (version %(version)s): it has changes the server never received.",
          );
    } else if (serverVersion) {
      detail = gettext(
        "Kept on this device at %(time)s, before the saved version (version %(version)s, %(saved)s): compare them before you restore it.",
      );
    }
    offerPanel.querySelector("[data-local-copy-detail]").textContent = fill(detail, {
      time: clock(copy.savedAt),
      version: serverVersion,
      saved: serverSavedAt ? clock(serverSavedAt) : "",
    });
    offerPanel.querySelector("[data-local-copy-body]").value = copy.words.body;
    offerPanel.hidden = false;
  };

  const closeOffer = () => {
    offerPanel.hidden = true;
    offering = null;
  };

  offerPanel?.querySelector("[data-local-copy-restore]").addEventListener("click", () => {
    const copy = offering;
    closeOffer();
    setPairs(copy.fields);
    dirty = true;
    keepCopy();
    save();
    form.querySelector("[name=body]")?.focus();
  });

  offerPanel?.querySelector("[data-local-copy-discard]").addEventListener("click", () => {
    closeOffer();
    storage?.removeItem(storageKey);
    if (dirty) keepCopy();
    form.querySelector("[name=body]")?.focus();
  });

  // --- events --------------------------------------------------------------

  const typed = (event) => {
    if (applying || submitting) return;
    const name = event.target.name;
    if (!name || NOT_FIELDS.has(name) || !form.contains(event.target)) return;
    dirty = true;
    keepCopySoon();
    if (blocked === "conflict") return;
    saveSoon();
  };
  form.addEventListener("input", typed);
  form.addEventListener("change", typed);

  form.addEventListener("submit", (event) => {
    const action = event.submitter?.name;
    clearTimeout(saveTimer);
    clearTimeout(retryTimer);
    if (inFlight && (action === "save" || action === "publish")) {
      // Let the autosave in flight finish first, or this post would start from
      // the version before it and meet it as a conflict.
      event.preventDefault();
      resubmitWith = event.submitter;
      return;
    }
    submitting = true;
    offering = null;
    keepCopy({ submitted: action === "save" || action === "publish" });
  });

  document.addEventListener("ponder:signing-out", () => {
    signingOut = true;
    clearTimeout(copyTimer);
  });

  window.addEventListener("online", () => {
    failures = 0;
    if (dirty) save();
  });
  window.addEventListener("offline", () => {
    if (dirty || inFlight) show.offline();
  });

  // A closing tab: keep the copy, and hand the text to the server if it can
  // still be sent (an existing entry only: a new one would be created twice).
  window.addEventListener("pagehide", () => {
    if (!dirty || submitting) return;
    keepCopy();
    const existing = !/\/write\//.test(autosaveUrl);
    if (existing && !inFlight && !blocked && navigator.onLine && navigator.sendBeacon) {
      navigator.sendBeacon(autosaveUrl, new FormData(form));
    }
  });
  document.addEventListener("visibilitychange", () => {
    // Not while a submit is leaving the page: that copy carries its "submitted" mark.
    if (document.visibilityState === "hidden" && dirty && !submitting) keepCopy();
  });

  // --- on opening ----------------------------------------------------------

  if (!storage) copyKept = false;
  if (form.dataset.fieldsSaved !== "true") {
    // After a preview or an error the fields hold the writer's unsaved text.
    dirty = true;
    keepCopy();
    saveSoon();
  } else {
    const copy = readCopy();
    const autosaved = document.getElementById("autosaved-words");
    const serverHas = (words) =>
      sameWords(words, wordsOf(fieldPairs())) ||
      (autosaved !== null && sameWords(words, JSON.parse(autosaved.textContent)));
    if (copy && serverHas(copy.words)) {
      storage.removeItem(storageKey);
    } else if (copy && offerPanel) {
      offer(copy);
    }
  }
})();
