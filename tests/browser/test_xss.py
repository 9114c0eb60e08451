"""XSS in a real browser: the corpus of tests/browser/xss_vectors.py, put into
every field people type, must not run on any page that shows it.

The browser context bypasses the Content-Security-Policy, so these tests check
the sanitiser (core/markdown.py) and the templates' escaping, not the header.
A page passes when, after loading, hovering, tabbing and a short wait:

* no vector called ``__xss`` (an init script defines it in every frame and
  reports each call to Python) and no dialog opened (the ``alert`` variants);
* the DOM holds no ``on*`` attribute, no ``javascript:``/``vbscript:``/``data:``
  URL, no ``srcdoc``, no script but our static files, the JavaScript catalogue
  and JSON data blocks, no embedding or page-level element (iframe, object,
  base, meta refresh, …), and every ``.prose`` block (sanitised HTML) holds
  only the allowlist;
* the page did not navigate away, and the vectors' canary text is on it (so a
  page that showed nothing cannot pass).

Data is made through the real code: models and actions (Markdown is rendered on
save), the profile form, ``journal.tags`` and ``facilitation.nudges``. One world
per test, several pages per test, to keep the run short.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, expect

from accounts.forms import ProfileForm
from core.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from facilitation import actions as facilitation_actions
from facilitation import certificates
from journal import actions as journal_actions
from journal import cpd
from journal import tags as journal_tags
from journal.models import Comment, Entry
from programmes.models import Cohort, Membership, NudgeDelivery
from tests.browser import xss_vectors as xv
from tests.conftest import thing

INIT_SCRIPT = """
(() => {
  const hits = [];
  Object.defineProperty(window, "__xssHits", { value: hits });
  window.__xss = (marker) => {
    hits.push(String(marker));
    try { window.__xssReport(String(marker)); } catch (error) { /* no binding */ }
  };
})();
"""

# Synthetic events on every element run any inline handler that slipped
# through, wherever it is on the page; opening every <details> fires ontoggle.
POKE_SCRIPT = """
() => {
  const types = ["pointerover", "mouseover", "mouseenter", "mousemove", "pointerdown"];
  for (const element of document.querySelectorAll("*")) {
    for (const type of types) {
      element.dispatchEvent(new MouseEvent(type, { bubbles: true }));
    }
    element.dispatchEvent(new FocusEvent("focus"));
    element.dispatchEvent(new FocusEvent("focusin", { bubbles: true }));
    if (element.localName === "details") element.open = true;
  }
}
"""

INSPECT_SCRIPT = """
(allowed) => {
  const found = [];
  const show = (element) => element.outerHTML.slice(0, 160);
  const badScheme = (value) =>
    /^(javascript|vbscript|livescript|data):/.test(
      value.replace(/[\\u0000-\\u0020\\u007f-\\u00a0]/g, "").toLowerCase());
  const urlAttributes = new Set(["href", "src", "action", "formaction", "data",
    "poster", "background", "srcset", "ping", "cite", "codebase", "xlink:href",
    "lowsrc", "dynsrc", "hx-get", "hx-post", "data-hx-get", "data-hx-post"]);
  const forbidden = new Set(["iframe", "frame", "frameset", "object", "embed",
    "applet", "base", "math", "style", "template", "noscript", "video",
    "audio", "source", "marquee", "isindex", "keygen", "xmp", "plaintext",
    "animate", "set", "foreignobject", "portal"]);
  for (const element of document.querySelectorAll("*")) {
    const tag = element.localName;
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on"))
        found.push(`handler attribute ${name}: ${show(element)}`);
      if (name.includes("hx-on")) found.push(`htmx handler ${name}: ${show(element)}`);
      if (name === "srcdoc") found.push(`srcdoc: ${show(element)}`);
      if (urlAttributes.has(name) && badScheme(attribute.value))
        found.push(`script URL in ${name}: ${show(element)}`);
      if (name === "style" && /expression\\(|javascript:|url\\(/i.test(attribute.value))
        found.push(`style with script: ${show(element)}`);
    }
    if (tag === "script") {
      const src = element.getAttribute("src");
      const url = src === null ? null : new URL(src, location.href);
      // Our static files, and the JavaScript catalogue (core/jsi18n.py).
      const ours = url !== null && url.origin === location.origin
        && (url.pathname.startsWith("/static/") || url.pathname.startsWith("/jsi18n/"));
      if (!ours && element.type !== "application/json")
        found.push(`script: ${show(element)}`);
    } else if (tag === "img") {
      // Ours only: an uploaded image through its permission-checked view, the
      // editor's preview of a file being uploaded, an exported copy's own file.
      for (const name of ["src", "srcset"]) {
        const value = element.getAttribute(name);
        if (value === null) continue;
        for (const candidate of value.split(",")) {
          const url = URL.parse(candidate.trim().split(/\\s+/)[0], location.href);
          const ours = url !== null && (
            (url.origin === location.origin && url.protocol !== "file:"
              && url.pathname.startsWith("/images/"))
            || url.protocol === "blob:"
            || (location.protocol === "file:" && url.protocol === "file:"));
          if (!ours) found.push(`<img> from elsewhere: ${show(element)}`);
        }
      }
    } else if (forbidden.has(tag)) {
      found.push(`<${tag}>: ${show(element)}`);
    } else if (tag === "svg" && !["chart__svg", "bell__icon"].some(
        (ours) => element.classList.contains(ours))) {
      found.push(`<svg>: ${show(element)}`);
    } else if (tag === "link") {
      const url = new URL(element.getAttribute("href") || "", location.href);
      const sheet = ["stylesheet", "icon"].includes(element.rel);
      const feed = element.rel === "alternate"
        && element.type === "application/atom+xml" && url.origin === location.origin;
      if (!(sheet || feed) || url.protocol !== location.protocol)
        found.push(`<link>: ${show(element)}`);
    } else if (tag === "meta" && element.hasAttribute("http-equiv")) {
      // The exported pages carry their own CSP in a meta element: that one only.
      const equiv = element.getAttribute("http-equiv").toLowerCase();
      if (equiv !== "content-security-policy")
        found.push(`<meta http-equiv>: ${show(element)}`);
    }
    if ((tag === "a" || tag === "area") && element.hasAttribute("href")
        && !["http:", "https:", "mailto:", "file:"].includes(element.protocol)) {
      found.push(`link to ${element.protocol}: ${show(element)}`);
    }
  }
  for (const region of document.querySelectorAll(".prose")) {
    for (const element of region.querySelectorAll("*")) {
      if (element.matches(".prose > p.muted")) continue;  // the editor's placeholder
      const tag = element.localName;
      if (!allowed.tags.includes(tag))
        found.push(`<${tag}> in .prose: ${show(element)}`);
      for (const attribute of element.attributes) {
        if (!(allowed.attributes[tag] || []).includes(attribute.name))
          found.push(`attribute ${attribute.name} in .prose: ${show(element)}`);
      }
    }
  }
  return found;
}
"""

ALLOWED = {
    "tags": sorted(ALLOWED_TAGS),
    "attributes": {tag: [*names, "rel"] for tag, names in ALLOWED_ATTRIBUTES.items()},
}


@dataclass
class Watch:
    """One browser context for one persona, recording what any vector did."""

    context: BrowserContext
    page: Page
    reported: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    pages: int = 0

    def visit(self, url: str, *expected: str, label: str = "") -> None:
        self.page.goto(url)
        self.check(*expected, label=label or url)

    def check(self, *expected: str, label: str) -> None:
        """Poke the page as it is now and record anything that ran or got in."""
        page = self.page
        url = page.url.split("#")[0]
        page.evaluate(POKE_SCRIPT)
        size = page.viewport_size or {"width": 1280, "height": 720}
        for row in range(1, 4):
            for column in range(1, 5):
                page.mouse.move(size["width"] * column / 5, size["height"] * row / 4)
        for _ in range(4):
            page.keyboard.press("Tab")
        page.wait_for_timeout(100)
        hits = list(self.reported)
        for frame in page.frames:
            try:
                hits += frame.evaluate("() => [...(window.__xssHits || [])]")
            except Exception:  # a frame that went away or is not scriptable
                continue
        found = [f"script ran: {marker}" for marker in sorted(set(hits))]
        found += [f"dialog opened: {message}" for message in self.dialogs]
        found += page.evaluate(INSPECT_SCRIPT, ALLOWED)
        if page.url.split("#")[0] != url:
            found.append(f"navigated away to {page.url}")
        html = page.content()
        found += [
            f"canary {text!r} not on the page" for text in expected if text not in html
        ]
        self.problems += [f"{label}: {problem}" for problem in found]
        self.reported.clear()
        self.dialogs.clear()
        self.pages += 1


@pytest.fixture
def watch_as(browser: Browser, live_server) -> Callable[[User | None], Watch]:
    """A CSP-bypassing context, signed in as the user (None: signed out)."""
    contexts: list[BrowserContext] = []

    def open_as(user: User | None) -> Watch:
        context = browser.new_context(
            bypass_csp=True, java_script_enabled=True, base_url=live_server.url
        )
        contexts.append(context)
        context.add_init_script(INIT_SCRIPT)
        page = context.new_page()
        watch = Watch(context=context, page=page)
        context.expose_binding(
            "__xssReport", lambda source, marker: watch.reported.append(marker)
        )

        def on_dialog(dialog) -> None:
            watch.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "url": live_server.url,
                    }
                ]
            )
        return watch

    yield open_as
    for context in contexts:
        context.close()


def assert_clean(*watches: Watch) -> None:
    problems = [problem for watch in watches for problem in watch.problems]
    assert not problems, "XSS vectors got through:\n" + "\n".join(problems)


# -- the world ------------------------------------------------------------------

CANARY = "xsscanary"


def canary(place: str) -> str:
    return f"{CANARY}{place.replace('-', '')}"


@dataclass
class World:
    cohort: Cohort
    ada: User
    ben: User
    fran: User
    participants: list[User]
    entries: list[Entry]
    draft: Entry
    pending: Entry
    public: Entry
    ben_comment: Comment
    ada_reply: Comment
    delivery: NudgeDelivery
    certificate_token: str
    tag_slug: str


def save_profile(user: User, **fields: str) -> None:
    profile = user.profile
    data = {
        "display_name": profile.display_name,
        "bio": profile.bio,
        "website": profile.website,
        "time_zone": profile.time_zone,
        **fields,
    }
    form = ProfileForm(data=data, instance=profile)
    assert form.is_valid(), form.errors
    form.save()


@pytest.fixture
def world(transactional_db, live_server, cohort, facilitator, make_user, join) -> World:
    plain = xv.PLAIN
    names = [plain[i] for i in (1, 4, 0, 2, 5, 6, 10, 12, 15)]  # fit in 80 characters
    ada = make_user("ada", display_name=f"Ada {names[0].render('name')}")
    ben = make_user("ben", display_name=f"Ben {names[1].render('name')}")
    others = [
        make_user(f"user{index}", display_name=vector.render("name"))
        for index, vector in enumerate(names[2:])
    ]
    fran = facilitator
    save_profile(fran, display_name=f"Fran {plain[3].render('name')}")
    participants = [ada, ben, *others]
    for user in participants:
        join(user, cohort)
    save_profile(
        ada,
        bio=xv.plain_batch(plain[:8], "bio", canary("bio")),
        website=xv.WEBSITES_KEPT[0].render("site"),
    )
    save_profile(
        ben,
        bio=xv.plain_batch(plain[8:], "bio", canary("bio")),
        website=xv.WEBSITES_KEPT[1].render("site"),
    )
    save_profile(others[0], website=xv.WEBSITES_KEPT[2].render("site"))

    # Ten entries of ten Markdown vectors; the first three on Things 1 to 3.
    entries = []
    for index, batch in enumerate(xv.batches(xv.MARKDOWN, 10)):
        pair = [plain[(2 * index) % len(plain)], plain[(2 * index + 1) % len(plain)]]
        entry = Entry(
            author=ada,
            cohort=cohort,
            thing=thing(cohort.programme, index + 1) if index < 3 else None,
            title=xv.plain_batch(pair, "title", canary(f"title{index}")),
            body=xv.markdown_batch(batch, "body", canary(f"body{index}")),
            action=xv.plain_batch(plain[index % 12 : index % 12 + 4], "action"),
            minutes=30,
            visibility=Entry.Visibility.PUBLIC
            if index == 9
            else Entry.Visibility.COHORT,
        )
        entries.append(journal_actions.save_entry(entry=entry, publish=True))
    tag_specs = journal_tags.parse_tags(
        ",".join(vector.render("tag") for vector in xv.TAGS)
    )
    assert len(tag_specs) == len(xv.TAGS)
    for entry in entries[:2]:
        journal_actions.apply_tags(entry=entry, tags=tag_specs)

    # A second version of the first entry, for the history's differences.
    first = entries[0]
    first.title = xv.plain_batch(plain[4:6], "newtitle", canary("newtitle"))
    first.body += "\n\n" + xv.markdown_batch(xv.MARKDOWN[40:50], "newbody", "new")
    journal_actions.save_entry(entry=first, publish=False)

    # Words autosaved on a published entry and not applied yet.
    pending = Entry.objects.get(pk=entries[1].pk)
    pending.title = xv.plain_batch([plain[10], plain[11]], "pending", canary("pending"))
    pending.body = xv.markdown_batch(
        xv.MARKDOWN[60:70], "pending", canary("pendingbody")
    )
    journal_actions.autosave_entry(entry=pending, base_version=None, session=None)

    draft = journal_actions.save_entry(
        entry=Entry(
            author=ada,
            cohort=cohort,
            title=xv.plain_batch([plain[4], plain[10]], "draft", canary("draft")),
            body=xv.markdown_batch(xv.MARKDOWN[:10], "draft", canary("draftbody")),
        ),
        publish=False,
    )

    comments = [
        journal_actions.add_comment(
            entry=entry,
            author=ben,
            body=xv.markdown_batch(batch, "comment", canary(f"comment{index}")),
        )
        for index, (entry, batch) in enumerate(
            zip(entries, xv.batches(xv.MARKDOWN, 10), strict=True)
        )
    ]
    ada_reply = journal_actions.add_comment(
        entry=entries[0],
        author=ada,
        parent=comments[0],
        body=xv.markdown_batch(xv.MARKDOWN[20:30], "reply", canary("reply")),
    )

    nudge = facilitation_actions.send_nudge(
        cohort=cohort,
        sender=fran,
        recipients=[ada, *others],
        subject=f"{canary('subject')} {{name}} {plain[3].render('subject')}",
        body="Hello {name}, next: {next_thing}.\n\n"
        + xv.markdown_batch(xv.MARKDOWN, "nudge", canary("nudge")),
    )

    cohort.completion_target = 3
    cohort.save(update_fields=["completion_target"])
    membership = Membership.objects.get(user=ada, cohort=cohort)
    issued = certificates.certificate_for(membership)
    assert issued is not None
    return World(
        cohort=cohort,
        ada=ada,
        ben=ben,
        fran=fran,
        participants=participants,
        entries=entries,
        draft=draft,
        pending=entries[1],
        public=entries[9],
        ben_comment=comments[0],
        ada_reply=ada_reply,
        delivery=nudge.deliveries.get(recipient=ada),
        certificate_token=issued.token,
        tag_slug=tag_specs[0].slug,
    )


# -- the tests --------------------------------------------------------------------


def test_the_corpus_is_big_and_the_detector_sees_a_script_run(watch_as):
    assert len(xv.ALL) >= 60
    for vector in xv.PLAIN:
        assert len(f"Ada {vector.render('name')}") <= 80 or vector.id in {"p08"}, vector
    # A control: the same checks on a page built to fail them.
    watch = watch_as(None)
    watch.page.set_content(
        "<img src=x onerror=\"__xss('control')\"><a href='javascript:void(0)'>j</a>"
        "<p onclick=\"alert('control')\">p</p><script>alert('control')</script>"
    )
    watch.check(label="control")
    problems = "\n".join(watch.problems)
    assert "script ran: control" in problems
    assert "dialog opened: control" in problems
    assert "handler attribute onclick" in problems
    assert "link to javascript:" in problems


@pytest.mark.parametrize("vector", xv.WEBSITES_REFUSED, ids=lambda vector: vector.id)
def test_profile_website_refuses_script_urls(vector, author):
    form = ProfileForm(
        data={
            "display_name": "Ada",
            "website": vector.render("site"),
            "time_zone": author.profile.time_zone,
        },
        instance=author.profile,
    )
    if form.is_valid():  # kept only as a harmless https:// address
        assert form.cleaned_data["website"].startswith(("https://", "http://"))
    else:
        assert "website" in form.errors


def test_author_pages(world: World, watch_as, live_server):
    ada = world.ada
    entries = world.entries
    watch = watch_as(ada)
    watch.visit("/", canary("draft"), canary("subject"), label="dashboard")
    watch.visit(
        "/@ada/", canary("bio"), canary("draft"), canary("title3"), label="journal"
    )
    watch.visit(
        f"/@ada/?tag={world.tag_slug}", canary("title1"), label="journal by tag"
    )
    for index, entry in enumerate(entries):
        watch.visit(
            entry.get_absolute_url(),
            canary(f"body{index}"),
            canary(f"comment{index}"),
            label=f"entry {index}",
        )
    watch.visit(world.draft.get_absolute_url(), canary("draftbody"), label="draft")
    watch.visit(entries[0].get_edit_url(), canary("newtitle"), label="editor")
    watch.visit(
        world.pending.get_edit_url(), canary("pending"), label="editor, autosaved"
    )
    watch.visit(
        world.pending.get_edit_url() + "?autosaved=restore",
        canary("pendingbody"),
        label="editor, autosaved restored",
    )
    watch.visit(world.draft.get_edit_url(), canary("draftbody"), label="editor, draft")
    watch.visit(
        f"/@ada/{entries[0].slug}/history/",
        canary("newtitle"),
        "newbody",
        label="history",
    )
    watch.visit(
        f"/@ada/{world.pending.slug}/history/", canary("pending"), label="history 2"
    )
    watch.visit("/cpd/", canary("title4"), label="CPD log")
    watch.visit("/export/", label="export")
    watch.visit("/accounts/profile/", canary("bio"), label="profile")
    watch.visit(
        f"/comments/{world.ada_reply.pk}/edit/", canary("reply"), label="comment edit"
    )
    watch.visit(f"/c/{world.cohort.slug}/", canary("title5"), label="cohort")
    watch.visit(f"/c/{world.cohort.slug}/people/", "user0", label="people")
    for number, title in ((1, "newtitle"), (2, "title1")):
        slug = thing(world.cohort.programme, number).slug
        watch.visit(
            f"/c/{world.cohort.slug}/things/{slug}/",
            canary(title),
            label=f"Thing {number}",
        )
    watch.visit(
        f"/messages/{world.delivery.pk}/", canary("nudge"), label="nudge message"
    )
    watch.visit(f"/c/{world.cohort.slug}/certificate/", "Ada", label="certificate")

    # The editor's live preview (htmx swaps in the server's sanitised HTML).
    page = watch.page
    page.goto("/write/")
    page.locator("form[data-autosave-url]").evaluate(
        "form => { form.dataset.autosaveDelay = '600000'; }"
    )
    page.get_by_label("Title").fill(xv.plain_batch(xv.PLAIN[:4], "newtitle", "Preview"))
    page.get_by_label("Your reflection").fill(
        xv.markdown_batch(xv.MARKDOWN, "preview", canary("preview"))
    )
    expect(page.locator("#preview")).to_contain_text(canary("preview"))
    watch.check(canary("preview"), label="editor preview")

    # A conflict: the editor's panel (autosave), then the conflict page (save).
    conflicted = entries[2]
    page.goto(conflicted.get_edit_url())
    page.locator("form[data-autosave-url]").evaluate(
        "form => { form.dataset.autosaveDelay = '200'; }"
    )
    newer = Entry.objects.get(pk=conflicted.pk)
    newer.title = xv.plain_batch(xv.PLAIN[8:12], "conflict", canary("conflict"))
    newer.body = xv.markdown_batch(
        xv.MARKDOWN[80:95], "conflict", canary("conflictbody")
    )
    journal_actions.save_entry(entry=newer, publish=False)
    page.locator("#id_action").fill("Typed in the old tab.")
    expect(page.locator("[data-conflict]")).to_be_visible()
    watch.check(canary("conflictbody"), label="editor conflict panel")
    page.locator("button[name=publish]").click()
    expect(
        page.get_by_role("heading", name="This entry changed since you opened it")
    ).to_be_visible()
    watch.check(canary("conflict"), canary("conflictbody"), label="conflict page")
    assert_clean(watch)


def test_other_readers_pages(world: World, watch_as, live_server, tmp_path: Path):
    cohort = world.cohort.slug
    ben = watch_as(world.ben)
    ben.visit("/", canary("reply"), label="dashboard (ben)")
    ben.visit("/@ben/", canary("bio"), label="journal (ben)")
    ben.visit("/@ada/", canary("bio"), canary("title1"), label="ada's journal (ben)")
    ben.visit(
        world.entries[0].get_absolute_url(), canary("comment0"), label="entry (ben)"
    )
    ben.visit(
        f"/comments/{world.ben_comment.pk}/edit/",
        canary("comment0"),
        label="comment edit (ben)",
    )
    ben.visit(
        f"/comments/{world.ben_comment.pk}/delete/",
        canary("comment0"),
        label="comment delete (ben)",
    )
    # A comment posted through the page: htmx swaps the new thread in.
    page = ben.page
    page.goto(world.entries[3].get_absolute_url())
    form = page.locator("form.comment-form")
    form.locator("textarea").fill(
        xv.markdown_batch(xv.MARKDOWN[:40], "htmx", canary("htmx"))
    )
    form.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comments")).to_contain_text(canary("htmx"))
    ben.check(canary("htmx"), label="comment posted with htmx (ben)")

    fran = watch_as(world.fran)
    fran.visit(f"/c/{cohort}/progress/", "user0", label="progress grid")
    fran.visit(f"/c/{cohort}/people/", "user0", label="people (facilitator)")
    fran.visit(f"/studio/cohorts/{cohort}/", label="studio cohort")
    fran.visit(f"/studio/cohorts/{cohort}/members/", "user0", label="members")
    fran.visit(f"/studio/cohorts/{cohort}/nudges/", canary("nudge"), label="nudge log")
    ids = "&".join(f"participant={user.pk}" for user in world.participants)
    fran.visit(
        f"/studio/cohorts/{cohort}/nudge/?{ids}", "p01-name", label="nudge compose"
    )
    page = fran.page
    page.get_by_label("Subject").fill(f"{canary('compose')} {{name}}")
    page.get_by_label("Body").fill(
        "Hi {name}\n\n"
        + xv.markdown_batch(xv.MARKDOWN[50:90], "compose", canary("composebody"))
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("section.preview")).to_contain_text(canary("composebody"))
    fran.check(canary("composebody"), label="nudge preview")
    fran.visit(f"/c/{cohort}/", canary("title6"), label="cohort (facilitator)")
    fran.visit(
        world.entries[1].get_absolute_url(),
        canary("body1"),
        label="entry (facilitator)",
    )

    visitor = watch_as(None)
    visitor.visit(
        world.public.get_absolute_url(), canary("body9"), label="public entry (visitor)"
    )
    visitor.visit("/@ada/", canary("bio"), label="journal (visitor)")
    visitor.visit(
        f"/certificates/{world.certificate_token}/", "Ada", label="certificate check"
    )

    # The exported journal, opened from disk as its owner would.
    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(cpd.export_zip(world.ada, name="export")))
    )
    archive.extractall(tmp_path)
    pages = sorted((tmp_path / "export").rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        visitor.visit(path.as_uri(), label=f"export {path.name}")
    assert_clean(ben, fran, visitor)
