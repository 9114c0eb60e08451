"""Workflows of the programmes app: each one function, in one transaction."""

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Max

from core.tasks import send_templated_email_on_commit
from programmes.models import Cohort, Membership, Programme, Thing


@transaction.atomic
def create_programme(*, owner: User, title: str, slug: str, summary: str) -> Programme:
    programme = Programme.objects.create(title=title, slug=slug, summary=summary)
    programme.owners.add(owner)
    return programme


@transaction.atomic
def add_thing(*, programme: Programme, **fields) -> Thing:
    """A new Thing goes to the end of the programme."""
    last = programme.things.aggregate(last=Max("number"))["last"] or 0
    return Thing.objects.create(programme=programme, number=last + 1, **fields)


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
    Cohort.objects.filter(programme_id=thing.programme_id).touch()


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
