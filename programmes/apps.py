from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import freshness, ratelimit
        from programmes.models import Cohort, leads, member_cohort_ids

        freshness.keep_versions(
            freshness.COHORT_CONTENT, Cohort, Cohort.version_fields, "pk"
        )
        freshness.keep_versions(
            freshness.COHORT_CONVERSATION, Cohort, ("content_version",), "pk"
        )
        freshness.person_shows_in(member_cohort_ids)
        ratelimit.raise_limits_for(leads)
