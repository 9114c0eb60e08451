"""Workflows of the programmes app: each one function, in one transaction."""

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Max

from core import freshness
from core.tasks import send_templated_email_on_commit
from programmes.models import Cohort, Membership, Programme, Thing


@transaction.atomic
def create_programme(*, owner: User, title: str, slug: str, summary: str) -> Programme:
    programme = Programme.objects.create(title=title, slug=slug, summary=summary)
    programme.owners.add(owner)
    return programme


@transaction.atomic
def update_programme(*, programme: Programme, **fields) -> Programme:
    """Change a programme's title, address or summary, which its cohorts' pages
    show."""
    for name, value in fields.items():
        setattr(programme, name, value)
    programme.save(update_fields=list(fields))
    _programme_changed(programme)
    return programme


@transaction.atomic
def add_thing(*, programme: Programme, **fields) -> Thing:
    """A new Thing goes to the end of the programme."""
    last = programme.things.aggregate(last=Max("number"))["last"] or 0
    thing = Thing.objects.create(programme=programme, number=last + 1, **fields)
    _programme_changed(programme)
    return thing


@transaction.atomic
def update_thing(*, thing: Thing, **fields) -> Thing:
    for name, value in fields.items():
        setattr(thing, name, value)
    # save() renders the introduction again.
    thing.save()
    _programme_changed(thing.programme)
    return thing


@transaction.atomic
def set_thing_published(*, thing: Thing, published: bool) -> Thing:
    thing.status = Thing.Status.PUBLISHED if published else Thing.Status.DRAFT
    thing.save(update_fields=["status"])
    _programme_changed(thing.programme)
    return thing


def _programme_changed(programme: Programme) -> None:
    """Every cohort of the programme shows its title and its Things."""
    freshness.cohorts_changed(programme.cohorts.all())


@transaction.atomic
def move_thing(*, thing: Thing, offset: int) -> None:
    """Swap a Thing with its neighbour; numbers stay 1..n, slugs never change."""
    things = list(
        Thing.objects.select_for_update()
        .filter(programme_id=thing.programme_id)
        .order_by("number")
    )
    index = next(i for i, other in enumerate(things) if other.pk == thing.pk)
    target = index + offset
    if not 0 <= target < len(things):
        return
    things[index], things[target] = things[target], things[index]
    # Two passes keep the unique (programme, number) constraint true throughout.
    Thing.objects.filter(programme_id=thing.programme_id).update(
        number=F("number") + 10_000
    )
    for number, other in enumerate(things, start=1):
        Thing.objects.filter(pk=other.pk).update(number=number)
    _programme_changed(thing.programme)


@transaction.atomic
def create_cohort(*, programme: Programme, facilitator: User, **fields) -> Cohort:
    cohort = Cohort.objects.create(programme=programme, **fields)
    Membership.objects.create(
        user=facilitator, cohort=cohort, role=Membership.Role.FACILITATOR
    )
    return cohort


@transaction.atomic
def join_cohort(*, user: User, cohort: Cohort) -> tuple[Membership, bool]:
    """Make the user a participant; a member joining again changes nothing."""
    membership, created = Membership.objects.get_or_create(
        user=user, cohort=cohort, defaults={"role": Membership.Role.PARTICIPANT}
    )
    if created:
        freshness.cohort_changed(cohort)
        send_templated_email_on_commit(
            to=[user.email],
            template="programmes/email/welcome",
            context={
                "user": user,
                "cohort": cohort,
                "open_things": cohort.open_things(),
                "next_release": cohort.next_release(),
            },
        )
    return membership, created


@transaction.atomic
def rotate_join_link(*, cohort: Cohort) -> Cohort:
    """A new join link: the old one no longer works."""
    cohort.rotate_join_token()
    freshness.cohort_changed(cohort)
    return cohort
