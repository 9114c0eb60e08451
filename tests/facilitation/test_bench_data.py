"""build_bench_data at a tiny scale: the counts add up and the pages render."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db.models import Count

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
