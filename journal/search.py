"""Search the entries and comments a reader may see, ranked, with highlighted snippets.

On PostgreSQL: full-text search (config 'english', websearch syntax), entry titles
weighted above bodies, against the `search` columns of migration 0005: vectors
the database stores and keeps up to date on every write (generated columns, so
no write path can forget them), matched through their GIN indexes and ranked
without parsing the text again. On SQLite, the embedded default: every word of
the query must appear, case-insensitively, in the title or the body, and title
matches rank above body matches.

Only the newest matches are ranked: of each kind, the `MOST_RESULTS` + 1
newest the reader may see, found newest first through an index on the date
(or, for a rare word, through the GIN index). Ranking every match cost as much
as there were matches: 290 ms for a common word at 5,000 participants.
Entries and comments are matched in one UNION query of (kind, id, rank, date)
rows, which ranks them, counts them and returns one page of them; only the
page's rows are then fetched and highlighted.
"""

from __future__ import annotations

import html
import re
import secrets
from dataclasses import dataclass
from typing import Literal

from django import forms
from django.contrib.auth.models import User
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import Case, F, Func, Q, QuerySet, TextField, Value, When
from django.db.models.expressions import Expression
from django.db.models.functions import Replace
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.markdown import rendered_text
from journal.models import CohortIds, Comment, Entry, entry_date
from programmes.models import AnyUser, Cohort, Membership, Thing

MAX_QUERY_LENGTH = 200
#: Results past this many are not counted or paged through, so counting them
#: costs the ranking query little more than finding the page.
MOST_RESULTS = 1000
CONFIG = "english"
ENTRY, COMMENT = "entry", "comment"
#: The order of `matching`'s rows; the last key is unique, so pages never
#: overlap.
BEST_FIRST = ("-score", "-when", "kind", "-hit_id")


class StoredVector(Expression):
    """The `search` column of the query's own table (entries' or comments'),
    which migration 0005 generates and the models do not declare: under the
    table's alias in this query, so it holds in a subquery too."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        table = next(iter(compiler.query.alias_map))
        column = connection.ops.quote_name("search")
        return f"{compiler.quote_name_unless_alias(table)}.{column}", []


#: PostgreSQL's planner settings for the ranking query's transaction alone,
#: measured with EXPLAIN ANALYZE on the bench data (docs/PERFORMANCE.md):
#: - plan_cache_mode: once a connection has run a query five times, PostgreSQL
#:   may keep one plan for any words (prepare_threshold), though how many rows
#:   the words match decides the best plan (2.6 ms a search).
#: - random_page_cost 1.1, not 4 (a disk's): the tables are read from memory.
#:   At 4 the planner checked a few comments' entries by hashing every entry the
#:   reader may read, a scan of the whole table (80-130 ms at 5,000
#:   participants, though no comment matched), rather than look each up by its
#:   key; and it ranked a common word's every match rather than walk the
#:   newest through their index.
#: - max_parallel_workers_per_gather 0: a search is one request of many, and
#:   workers that stop after 1,001 rows cost more to start than they save
#:   (29-45 ms a common word with none, 60-75 ms with two).
PLANNER_SETTINGS = {
    "plan_cache_mode": "force_custom_plan",
    "random_page_cost": "1.1",
    "max_parallel_workers_per_gather": "0",
}

# PostgreSQL's english.stop, so that a query of stop words finds nothing on
# SQLite either.
_ENGLISH_STOP = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him
    his himself she her hers herself it its itself they them their theirs
    themselves what which who whom this that these those am is are was were be been
    being have has had having do does did doing a an the and but if or because as
    until while of at by for with about against between into through during before
    after above below to from up down in out on off over under again further then
    once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now
"""
STOP_WORDS = frozenset(_ENGLISH_STOP.split())
# SQLite's rank: PostgreSQL's default weights of A (1.0) and B (0.4), times ten.
TITLE_WEIGHT, BODY_WEIGHT = 10, 4
SNIPPET_WORDS = {"min_words": 15, "max_words": 35}  # PostgreSQL's snippets
SNIPPET_CONTEXT = 80  # characters before the first match in SQLite's snippets
SNIPPET_LENGTH = 240

# Highlights come back as text (a title as written, a body as rendered): it is
# escaped whole, then these markers become <mark>. They are random so that no text a
# user writes can contain them and smuggle in a tag.
#: A tag of the sanitiser's HTML, whose attribute values may hold ">".
_TAG_PATTERN = r"""<(?:[^>"']|"[^"]*"|'[^']*')*>"""
_START = f"hlstart{secrets.token_hex(8)}"
_STOP = f"hlstop{secrets.token_hex(8)}"
_LESS_THAN = f"hllt{secrets.token_hex(8)}"


def full_text() -> bool:
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class Filters:
    cohort: Cohort | None = None
    thing: Thing | None = None
    person: User | None = None
    mine: bool = False


class SearchForm(forms.Form):
    """The search box and its filters, read from the query string.

    A filter with an unknown value gets an error beside it and is left out;
    the search runs with the rest.
    """

    max_query_length = MAX_QUERY_LENGTH
    q = forms.CharField(
        label=_("Search for"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "maxlength": MAX_QUERY_LENGTH}),
    )
    cohort = forms.ChoiceField(
        label=_("Cohort"),
        required=False,
        error_messages={
            "invalid_choice": _("Not one of your cohorts: searched them all instead.")
        },
    )
    thing = forms.ChoiceField(
        label=_("Thing"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "Not a Thing of the chosen cohort: searched every Thing."
            )
        },
    )
    person = forms.CharField(
        label=_("Person"),
        required=False,
        max_length=150,
        help_text=_("Their username."),
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)

    def __init__(self, data=None, *, user: User) -> None:
        self.query_was_cut = False
        if data is not None and len(data.get("q", "")) > MAX_QUERY_LENGTH:
            data = data.copy()
            data["q"] = cut_query(data["q"])
            self.query_was_cut = True
        super().__init__(data)
        mine = list(
            Cohort.objects.for_member(user)
            .select_related("programme")
            .annotate(reader_role=F("memberships__role"))
        )
        self.cohorts = {cohort.slug: cohort for cohort in mine}
        #: The reader's cohorts for the rule of who reads what, from the same
        #: query.
        self.cohort_ids = CohortIds(
            member=tuple(cohort.pk for cohort in mine),
            facilitated=tuple(
                cohort.pk
                for cohort in mine
                if cohort.reader_role == Membership.Role.FACILITATOR
            ),
        )
        self.fields["cohort"].choices = [("", gettext("All my cohorts"))] + [
            (slug, cohort.name) for slug, cohort in self.cohorts.items()
        ]
        chosen = self.cohorts.get((data or {}).get("cohort", ""))
        releases = chosen.visible_things(user) if chosen else []
        self.things = {release.thing.slug: release.thing for release in releases}
        self.fields["thing"].choices = [("", gettext("Any Thing"))] + [
            (slug, f"{thing.number}. {thing.title}")
            for slug, thing in self.things.items()
        ]
        if chosen is None:
            self.fields["thing"].help_text = gettext(
                "Choose a cohort to list its Things."
            )

    def clean_person(self) -> User | None:
        username = self.cleaned_data["person"].removeprefix("@")
        if not username:
            return None
        person = User.objects.filter(username__iexact=username).first()
        if person is None:
            raise forms.ValidationError(
                gettext("No one has that username: searched everyone.")
            )
        return person

    def search(self) -> tuple[str, Filters]:
        """The query and the filters whose values are valid."""
        self.is_valid()
        data = self.cleaned_data
        return data.get("q", ""), Filters(
            cohort=self.cohorts.get(data.get("cohort", "")),
            thing=self.things.get(data.get("thing", "")),
            person=data.get("person"),
            mine=data.get("mine", False),
        )


@dataclass(frozen=True)
class Hit:
    """One result: an entry, or a comment on an entry, with highlighted text."""

    kind: Literal["entry", "comment"]
    entry: Entry
    comment: Comment | None
    title: SafeString
    snippet: SafeString

    @property
    def url(self) -> str:
        """The comment's permalink; an entry's page, or its editor for a draft."""
        if self.comment is not None:
            return self.comment.get_absolute_url()
        if not self.entry.is_published:
            return self.entry.get_edit_url()
        return self.entry.get_absolute_url()


def cut_query(query: str) -> str:
    """The query's first characters, without a word cut in half at the end."""
    cut = query[:MAX_QUERY_LENGTH]
    if query[MAX_QUERY_LENGTH : MAX_QUERY_LENGTH + 1].isalnum() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut


def search_terms(query: str) -> list[str]:
    """The words SQLite looks for: lowercased, without stop words or repeats."""
    words = re.findall(r"\w+", query.lower())
    return list(dict.fromkeys(word for word in words if word not in STOP_WORDS))


def matching(
    user: AnyUser, query: str, filters: Filters, cohorts: CohortIds | None = None
) -> QuerySet:
    """Rows of (kind, hit_id, rank, when) for the newest matches `user` may
    see (`_newest`), best first; `cohorts`: theirs, if known already.

    Entries: what `visible_to` allows, which includes the reader's own drafts
    (and nobody else's). Comments: readable ones, not deleted, on published
    entries the reader may see.
    """
    if cohorts is None:
        cohorts = CohortIds.of(user)
    entries = Entry.objects.visible_to(user, cohorts)
    comments = Comment.objects.shown_to(user, cohorts).filter(
        entry__status=Entry.Status.PUBLISHED
    )
    if filters.cohort is not None:
        entries = entries.filter(cohort=filters.cohort)
        comments = comments.filter(entry__cohort=filters.cohort)
    if filters.thing is not None:
        entries = entries.filter(thing=filters.thing)
        comments = comments.filter(entry__thing=filters.thing)
    if filters.person is not None:
        entries = entries.filter(author=filters.person)
        comments = comments.filter(author=filters.person)
    if filters.mine:
        entries = entries.filter(author=user)
        comments = comments.filter(author=user)
    if full_text():
        search_query = SearchQuery(query, search_type="websearch", config=CONFIG)
        entries = entries.alias(document=StoredVector()).filter(document=search_query)
        comments = comments.alias(document=StoredVector()).filter(document=search_query)
        entry_rank = comment_rank = SearchRank(StoredVector(), search_query)
    else:
        terms = search_terms(query)
        if not terms:
            return Entry.objects.none().values("pk")
        entries, comments = _words_match(entries, comments, terms)
        entry_rank, comment_rank = _words_rank(terms)
    entry_rows = _newest(entries, entry_date()).annotate(
        kind=Value(ENTRY), hit_id=F("pk"), when=entry_date(), score=entry_rank
    )
    comment_rows = _newest(comments, F("created")).annotate(
        kind=Value(COMMENT), hit_id=F("pk"), when=F("created"), score=comment_rank
    )
    columns = ("kind", "hit_id", "score", "when")
    return (
        entry_rows.order_by()
        .values(*columns)
        .union(comment_rows.order_by().values(*columns), all=True)
        .order_by(*BEST_FIRST)
    )


def _newest(matches: QuerySet, date) -> QuerySet:
    """The newest `MOST_RESULTS` + 1 of `matches`, by `date` (what the
    models' `*_newest*` indexes hold): enough to rank, count and say whether
    there were more."""
    newest = matches.order_by(date.desc(), "-pk").values("pk")[: MOST_RESULTS + 1]
    return matches.model.objects.filter(pk__in=newest)


def results_page(
    user: AnyUser,
    query: str,
    filters: Filters,
    number: str | None,
    per_page: int,
    cohorts: CohortIds | None = None,
) -> tuple[Page, bool]:
    """A page of the best `MOST_RESULTS` matches, as `Hit`s, and whether there
    were more matches than that.

    One query ranks the matches and returns only the page's rows, each with the
    count of matches (up to `MOST_RESULTS` + 1): the thousand rows around it
    never reach Python. An invalid page number gets the first page, one past
    the end the last, as `Paginator.get_page` does.
    """
    try:
        best = matching(user, query, filters, cohorts)[: MOST_RESULTS + 1]
        sql, params = best.query.sql_with_params()
    except EmptyResultSet:
        sql, params = None, ()
    wanted = _page_number(number, per_page)
    rows, total = _ranked_window(sql, params, (wanted - 1) * per_page, per_page)
    if total is None:
        total = _ranked_count(sql, params)
    page = Paginator(range(min(total, MOST_RESULTS)), per_page).get_page(wanted)
    if page.number != wanted:
        offset = (page.number - 1) * per_page
        rows, _total = _ranked_window(sql, params, offset, per_page)
    page.object_list = hits(rows, query)
    return page, total > MOST_RESULTS


def _page_number(number: str | None, per_page: int) -> int:
    """The page asked for, from the first to the last the best matches fill."""
    last = -(-MOST_RESULTS // per_page)
    try:
        return min(max(int(number or 1), 1), last)
    except ValueError:
        return 1


def _ranked_window(
    sql: str | None, params: tuple, offset: int, limit: int
) -> tuple[list[tuple[str, int]], int | None]:
    """(kind, hit_id) of the ranked rows from `offset`, no further than the
    best `MOST_RESULTS`, and the count of all of them: None when no row lies
    there to carry it."""
    if sql is None:
        return [], 0
    limit = min(limit, MOST_RESULTS - offset)
    if limit <= 0:
        return [], None
    with transaction.atomic(), connection.cursor() as cursor:
        _plan_for_search(cursor)
        cursor.execute(
            f'SELECT "kind", "hit_id", COUNT(*) OVER () FROM ({sql}) ranked'
            f" ORDER BY {_best_first_sql()} LIMIT %s OFFSET %s",
            (*params, limit, offset),
        )
        found = cursor.fetchall()
    total = found[0][2] if found else None
    return [(kind, hit_id) for kind, hit_id, _count in found], total


def _best_first_sql() -> str:
    """`BEST_FIRST` as SQL, for the columns of the query wrapping `matching`."""
    quote = connection.ops.quote_name
    return ", ".join(
        f"{quote(key[1:])} DESC" if key.startswith("-") else quote(key)
        for key in BEST_FIRST
    )


def _ranked_count(sql: str | None, params: tuple) -> int:
    if sql is None:
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        _plan_for_search(cursor)
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) ranked", params)
        return cursor.fetchone()[0]


def _plan_for_search(cursor) -> None:
    """`PLANNER_SETTINGS` for the rest of the transaction, in one round trip."""
    if not full_text():
        return
    calls = ", ".join(["set_config(%s, %s, true)"] * len(PLANNER_SETTINGS))
    cursor.execute(
        f"SELECT {calls}",
        [value for setting in PLANNER_SETTINGS.items() for value in setting],
    )


def _words_match(
    entries: QuerySet, comments: QuerySet, terms: list[str]
) -> tuple[QuerySet, QuerySet]:
    for term in terms:
        entries = entries.filter(Q(title__icontains=term) | Q(body__icontains=term))
        comments = comments.filter(body__icontains=term)
    return entries, comments


def _words_rank(terms: list[str]) -> tuple[Expression, Expression]:
    """SQLite's rank of an entry and of a comment that hold every term."""
    entry_rank = sum(
        (
            _weight_if(Q(title__icontains=term), TITLE_WEIGHT)
            + _weight_if(Q(body__icontains=term), BODY_WEIGHT)
            for term in terms
        ),
        start=Value(0),
    )
    return entry_rank, Value(BODY_WEIGHT * len(terms))


def _weight_if(condition: Q, weight: int) -> Case:
    return Case(When(condition, then=Value(weight)), default=Value(0))


def hits(rows: list[tuple[str, int]], query: str) -> list[Hit]:
    """The page's (kind, hit_id) rows as `Hit`s, in order: a query for the
    page's entries and one for its comments, each only if it holds some."""
    by_entry = _marked(
        Entry.objects.select_related("author__profile", "cohort", "thing"),
        [hit_id for kind, hit_id in rows if kind == ENTRY],
        query,
        with_title=True,
    )
    by_comment = _marked(
        Comment.objects.select_related(
            "author__profile", "entry__author", "entry__cohort", "entry__thing"
        ),
        [hit_id for kind, hit_id in rows if kind == COMMENT],
        query,
        with_title=False,
    )
    found = (_hit(kind, hit_id, by_entry, by_comment) for kind, hit_id in rows)
    # A row deleted since the page's query is left out.
    return [hit for hit in found if hit is not None]


def _marked(
    items: QuerySet, ids: list[int], query: str, *, with_title: bool
) -> dict[int, Entry | Comment]:
    """The items of `ids` by id, with `marked_body` (and `marked_title`)."""
    if not ids:
        return {}
    items = items.filter(pk__in=ids)
    if full_text():
        search_query = SearchQuery(query, search_type="websearch", config=CONFIG)
        marks = {"marked_body": _body_headline(search_query)}
        if with_title:
            marks["marked_title"] = _title_headline(search_query)
        found = list(items.annotate(**marks))
        for item in found:
            # The headline of the stored HTML keeps its entities ("&amp;").
            item.marked_body = " ".join(html.unescape(item.marked_body).split())
        return {item.pk: item for item in found}
    pattern = _terms_pattern(search_terms(query))
    found = list(items)
    for item in found:
        if with_title:
            item.marked_title = _mark(item.title, pattern)
        text = rendered_text(item.body_html)
        item.marked_body = _mark(_excerpt_around(text, pattern), pattern)
    return {item.pk: item for item in found}


def _hit(kind: str, hit_id: int, by_entry: dict, by_comment: dict) -> Hit | None:
    if kind == ENTRY:
        entry = by_entry.get(hit_id)
        if entry is None:
            return None
        return Hit(
            kind=ENTRY,
            entry=entry,
            comment=None,
            title=_with_marks(entry.marked_title),
            snippet=_with_marks(entry.marked_body),
        )
    comment = by_comment.get(hit_id)
    if comment is None:
        return None
    return Hit(
        kind=COMMENT,
        entry=comment.entry,
        comment=comment,
        title=escape(comment.entry.title),
        snippet=_with_marks(comment.marked_body),
    )


def _title_headline(search_query: SearchQuery) -> SearchHeadline:
    # PostgreSQL's parser drops whatever looks like an HTML tag from a headline,
    # which would lose words of "Using <video> in class": hide "<" from it.
    text = Replace("title", Value("<"), Value(f" {_LESS_THAN} "))
    return _headline(text, search_query, highlight_all=True)


def _body_headline(search_query: SearchQuery) -> SearchHeadline:
    # From the stored HTML with its tags taken out, so that the snippet quotes
    # the text as readers see it, not its Markdown. (The parser would drop the
    # tags itself, but leave a space for each: "**bold**!" read "bold !".) Its
    # blocks are on lines of their own, and a "<" in its text is "&lt;".
    text = Func(
        "body_html",
        Value(_TAG_PATTERN),
        Value(""),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )
    return _headline(text, search_query, **SNIPPET_WORDS)


def _headline(text, search_query: SearchQuery, **options) -> SearchHeadline:
    return SearchHeadline(
        text,
        search_query,
        config=CONFIG,
        start_sel=_START,
        stop_sel=_STOP,
        **options,
    )


def _terms_pattern(terms: list[str]) -> re.Pattern | None:
    """Whole words containing a term: what SQLite matched, to highlight."""
    if not terms:
        return None
    alternatives = "|".join(re.escape(term) for term in terms)
    return re.compile(rf"\w*(?:{alternatives})\w*", re.IGNORECASE)


def _mark(text: str, pattern: re.Pattern | None) -> str:
    if pattern is None:
        return text
    return pattern.sub(lambda match: f"{_START}{match.group(0)}{_STOP}", text)


def _excerpt_around(body: str, pattern: re.Pattern | None) -> str:
    """A stretch of the body from a little before its first match, cut at words."""
    body = " ".join(body.split())
    match = pattern.search(body) if pattern else None
    start = 0
    if match and match.start() > SNIPPET_CONTEXT:
        space = body.find(" ", match.start() - SNIPPET_CONTEXT, match.start())
        start = space + 1 if space != -1 else match.start()
    end = start + SNIPPET_LENGTH
    if end < len(body):
        end = body.rfind(" ", start, end) if " " in body[start:end] else end
    prefix = "… " if start else ""
    suffix = " …" if end < len(body) else ""
    return f"{prefix}{body[start:end]}{suffix}"


def _with_marks(text: str) -> SafeString:
    """Escape everything, and mark what lies between our sentinels (only that)."""
    text = re.sub(rf" ?{_LESS_THAN} ?", "<", text)
    pieces = re.split(rf"{_START}(.*?){_STOP}", text, flags=re.DOTALL)
    plain, marked = pieces[0::2], pieces[1::2]
    return format_html_join(
        "", "{}<mark>{}</mark>", zip(plain, marked, strict=False)
    ) + escape(plain[-1])
