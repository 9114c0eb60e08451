"""build_bench_data at a tiny scale: the counts add up and the pages render."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client

from bench import mixed_plan, run
from facilitation.management.commands import build_bench_data as bench
from journal.models import Comment, Entry
from programmes.models import Cohort, Membership

pytestmark = pytest.mark.django_db

SMALL = dict(participants=5, small_cohorts=1, small_size=3, comments=150)


def build(**extra) -> None:
    call_command("build_bench_data", **SMALL, **extra, stdout=io.StringIO())


def test_counts_threads_and_the_hundred_comment_entry() -> None:
    build()
    assert Cohort.objects.filter(programme__slug=bench.PROGRAMME_SLUG).count() == 2
    big = Cohort.objects.get(slug=bench.BIG_COHORT_SLUG)
    assert big.memberships.filter(role=Membership.Role.PARTICIPANT).count() == 5
    assert User.objects.filter(username__startswith="bench-").count() == 2 + 5 + 3
    entries = Entry.objects.filter(cohort__programme__slug=bench.PROGRAMME_SLUG)
    assert entries.count() > 5
    comments = Comment.objects.filter(entry__in=entries)
    assert comments.count() == 150
    hundred = Entry.objects.get(slug=bench.HUNDRED_SLUG)
    assert hundred.comments.count() == 100
    assert set(comments.values_list("depth", flat=True)) <= {1, 2, 3}
    for reply in comments.filter(parent__isnull=False).select_related("parent"):
        assert reply.depth == reply.parent.depth + 1
        assert reply.entry_id == reply.parent.entry_id
    # Comments only on what cohort-mates may read.
    assert not comments.filter(entry__status=Entry.Status.DRAFT).exists()
    assert not comments.filter(entry__visibility=Entry.Visibility.PRIVATE).exists()
    # Stored HTML, as a save would have rendered it.
    assert "<h2>" in entries.filter(body__startswith="## ").first().body_html
    assert not entries.annotate(n=Count("pk")).filter(body_html="").exists()


def test_refuses_then_skips_then_wipes() -> None:
    build()
    with pytest.raises(CommandError, match="already exists"):
        build()
    build(skip_existing=True)
    assert Entry.objects.filter(slug=bench.HUNDRED_SLUG).count() == 1
    build(wipe=True)
    assert Entry.objects.filter(slug=bench.HUNDRED_SLUG).count() == 1
    assert User.objects.filter(username__startswith="bench-").count() == 10


def test_benchmarked_pages_render(client) -> None:
    build()
    thing = Entry.objects.get(slug=bench.HUNDRED_SLUG).thing.slug
    participant = User.objects.get(username="bench-p0001")
    assert participant.check_password(bench.BENCH_PASSWORD)
    assert participant.emailaddress_set.filter(verified=True, primary=True).exists()
    client.force_login(participant)
    for path in [
        "/",
        "/c/bench-big/",
        f"/c/bench-big/things/{thing}/",
        f"/@bench-p0002/{bench.HUNDRED_SLUG}/",
    ]:
        assert client.get(path).status_code == 200, path
    client.force_login(User.objects.get(username=bench.FACILITATOR))
    assert client.get("/c/bench-big/progress/").status_code == 200


def test_participants_sign_in_with_the_bench_password(client) -> None:
    build()
    response = client.post(
        "/accounts/login/",
        {"login": "bench-p0001@bench.example", "password": bench.BENCH_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/").context["user"].username == "bench-p0001"


def test_comments_scale_with_participants_and_a_rare_word_is_planted() -> None:
    call_command(
        "build_bench_data", participants=4, small_cohorts=0, stdout=io.StringIO()
    )
    assert Comment.objects.count() == bench.COMMENTS_PER_PARTICIPANT * 4
    entries = [Entry(body=bench.ENTRY_BODIES[i % 6].format(n=30)) for i in range(1200)]
    bench.add_rare_word(entries, ["<p>rare</p>"] * len(bench.ENTRY_BODIES))
    rare = [e for e in entries if bench.RARE_WORD in e.body]
    assert len(rare) == len(entries) // bench.RARE_EVERY
    assert all(e.body_html == "<p>rare</p>" for e in rare)


def plan_of(lines: list[str], kind: str) -> list[list[str]]:
    return [line.split() for line in lines if line.startswith(kind)]


def test_mixed_plan_sessions_read_comment_and_autosave_with_their_csrf() -> None:
    """bench/mixed.lua's requests, as the test client sends them: each plan
    session is signed in, and its CSRF secret passes as cookie and token."""
    build()
    lines = mixed_plan.plan_lines(sessions=3, facilitator_sessions=2)
    participants = plan_of(lines, "participant")
    assert len(participants) == 3
    assert len(plan_of(lines, "facilitator")) == 2
    assert len({fields[1] for fields in participants}) == 3
    entry_path = plan_of(lines, "entry")[0][1]
    drafted = next(f for f in participants if f[3] != "-")
    client = Client(enforce_csrf_checks=True)
    client.cookies["sessionid"], client.cookies["csrftoken"] = drafted[1], drafted[2]
    assert client.get("/c/bench-big/").status_code == 200
    response = client.post(
        f"{entry_path}comments/",
        {"csrfmiddlewaretoken": drafted[2], "body": "Bench comment 0-1"},
    )
    assert response.status_code == 302
    assert Comment.objects.filter(body="Bench comment 0-1").exists()
    response = client.post(
        drafted[3],
        {"base_version": drafted[4], "body": "Draft words saved 0-2"},
        headers={"X-CSRFToken": drafted[2], "Accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.json()["version"] == int(drafted[4]) + 1


def test_the_lua_results_parse_and_print_as_a_table() -> None:
    out = (
        "Running 10s test\n"
        "BENCH_RESULT requests=200 duration_us=10000000 p50_us=40000 p90_us=70000"
        " p95_us=90000 p99_us=120000 errors_status=1 errors_other=0\n"
        "MIXED_RESULT reads=189 comments=5 autosaves=5 errors=1 statuses=409,\n"
    )
    page = run.parse_wrk(out)
    assert page["rps"] == 20 and page["comments"] == 5 and page["statuses"] == "409,"
    baseline = run.parse_wrk(out.replace("requests=200", "requests=1000"))
    size = {
        "participants": 5000,
        "results": {
            run.BASELINE: baseline,
            "Cohort page": page,
            run.BASELINE_AGAIN: baseline,
        },
        "single": {},
        "queries": {"Cohort page": {"small": 12, "big": 12}},
    }
    rows = run.table(size)
    assert "Queries (10 / 5,000)" in rows[0]
    cohort = next(row for row in rows if row.startswith("| Cohort page"))
    assert "| 20 | 40.0 | 90.0 | 20.0% | 10 | 1 | - | 12 / 12 | misses: errors |" in (
        cohort
    )
    assert run.size_database_url("postgres://u@h:5432/ponder_bench", 5000) == (
        "postgres://u@h:5432/ponder_bench_5000"
    )
