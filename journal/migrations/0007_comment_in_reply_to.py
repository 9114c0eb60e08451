import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F


def answer_the_parent(apps, schema_editor):
    """A reply made before this field answered its parent, as far as anyone
    can tell now (one filed beside a deepest comment did not say)."""
    Comment = apps.get_model("journal", "Comment")
    Comment.objects.filter(parent__isnull=False).update(in_reply_to=F("parent"))


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0006_search_indexes_without_pending_list"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="in_reply_to",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="journal.comment",
            ),
        ),
        migrations.RunPython(answer_the_parent, migrations.RunPython.noop),
    ]
