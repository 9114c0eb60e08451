from django.db import migrations, models


def keep_the_newest_pending_invitation(apps, schema_editor):
    """Before the constraint: an address invited twice at once has two pending
    invitations. The newest stays: its e-mail is the one on top of the inbox."""
    Invitation = apps.get_model("programmes", "Invitation")
    seen = set()
    repeated = []
    pending = Invitation.objects.filter(accepted_at__isnull=True)
    for invitation in pending.order_by("-created", "-pk"):
        key = (invitation.cohort_id, invitation.email)
        if key in seen:
            repeated.append(invitation.pk)
        seen.add(key)
    Invitation.objects.filter(pk__in=repeated).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0004_pending_join"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="submission",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="nudge",
            name="submission",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RunPython(keep_the_newest_pending_invitation, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="invitation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("accepted_at__isnull", True)),
                fields=("cohort", "email"),
                name="invitation_pending_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="nudge",
            constraint=models.UniqueConstraint(
                condition=models.Q(("submission", ""), _negated=True),
                fields=("sender", "submission"),
                name="nudge_sent_once",
            ),
        ),
    ]
