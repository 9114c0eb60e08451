"""The sitemap: open programmes, their published Things, and the public
entries on those Things; nothing a visitor could not read."""

from django.contrib.sitemaps import Sitemap

from journal.models import Entry, EntryQuerySet
from programmes.models import Programme, ProgrammeQuerySet, Thing, ThingQuerySet


class OpenProgrammeSitemap(Sitemap):
    def items(self) -> ProgrammeQuerySet:
        return Programme.objects.open().order_by("pk")

    def location(self, item: Programme) -> str:
        return item.get_public_url()


class OpenThingSitemap(Sitemap):
    def items(self) -> ThingQuerySet:
        return (
            Thing.objects.published()
            .filter(programme__is_open=True)
            .select_related("programme")
            .order_by("pk")
        )

    def location(self, item: Thing) -> str:
        return item.get_public_url()


class PublicEntrySitemap(Sitemap):
    def items(self) -> EntryQuerySet:
        return (
            Entry.objects.public()
            .filter(
                thing__status=Thing.Status.PUBLISHED, thing__programme__is_open=True
            )
            .select_related("author")
            .order_by("pk")
        )

    def lastmod(self, item: Entry):
        return item.updated


SITEMAPS = {
    "programmes": OpenProgrammeSitemap,
    "things": OpenThingSitemap,
    "entries": PublicEntrySitemap,
}
