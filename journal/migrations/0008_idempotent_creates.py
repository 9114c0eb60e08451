from django.db import migrations, models


def keep_the_first_open_report(apps, schema_editor):
    """Before the constraints: a report sent twice at once was stored twice.
    The first one stays; facilitators see one report, as they would now."""
    Report = apps.get_model("journal", "Report")
    seen = set()
    repeated = []
    open_reports = Report.objects.filter(resolved_at__isnull=True, reporter__isnull=False)
    for report in open_reports.order_by("created", "pk"):
        key = (report.reporter_id, report.entry_id, report.comment_id)
        if key in seen:
            repeated.append(report.pk)
        seen.add(key)
    Report.objects.filter(pk__in=repeated).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0007_comment_in_reply_to"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="submission",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="entry",
            name="editor_key",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("submission", ""), _negated=True),
                fields=("author", "submission"),
                name="comment_posted_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="entry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("editor_key", ""), _negated=True),
                fields=("author", "editor_key"),
                name="entry_one_per_new_entry_page",
            ),
        ),
        migrations.RunPython(keep_the_first_open_report, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.UniqueConstraint(
                condition=models.Q(("entry__isnull", False), ("resolved_at__isnull", True)),
                fields=("reporter", "entry"),
                name="report_entry_open_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.UniqueConstraint(
                condition=models.Q(("comment__isnull", False), ("resolved_at__isnull", True)),
                fields=("reporter", "comment"),
                name="report_comment_open_once",
            ),
        ),
    ]
