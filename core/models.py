from django.db import models


class KeepsVersions(models.Model):
    """A model with version numbers moved on only by queryset updates
    (`F(field) + 1`), which key cached HTML and values (core/freshness.py).

    `save()` writes every field but those: an instance loaded before an update
    must not put the older number back.
    """

    version_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            fields = kwargs.get("update_fields") or [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key
            ]
            kwargs["update_fields"] = [
                name for name in fields if name not in self.version_fields
            ]
        super().save(*args, **kwargs)
