from django.urls import path

from facilitation.views import account, certificates, moderation, nudges, progress

app_name = "facilitation"

# Mounted at the root from config/urls.py, before allauth: each page keeps the
# address it had in the app it came from.
urlpatterns = [
    path("accounts/delete/", account.delete_account, name="delete_account"),
    path("c/<slug:cohort>/progress/", progress.progress, name="progress"),
    path("c/<slug:cohort>/progress/csv/", progress.progress_csv, name="progress_csv"),
    path("c/<slug:cohort>/certificate/", certificates.certificate, name="certificate"),
    path(
        "c/<slug:cohort>/certificates/",
        certificates.cohort_certificates,
        name="certificates",
    ),
    path(
        "c/<slug:cohort>/certificates/<int:membership_id>/issue/",
        certificates.issue_certificate,
        name="issue_certificate",
    ),
    path(
        "certificates/<str:token>/",
        certificates.verify_certificate,
        name="verify_certificate",
    ),
    path("messages/<int:pk>/", nudges.nudge_message, name="nudge"),
    path(
        "studio/cohorts/<slug:slug>/nudge/", nudges.compose_nudge, name="compose_nudge"
    ),
    path("studio/cohorts/<slug:slug>/nudges/", nudges.nudge_log, name="nudges"),
    path("c/<slug:cohort>/moderation/", moderation.queue, name="moderation"),
    path("c/<slug:cohort>/moderation/log/", moderation.log, name="moderation_log"),
    path(
        "c/<slug:cohort>/moderation/entries/<int:pk>/hide/",
        moderation.hide_entry,
        name="hide_entry",
    ),
    path(
        "c/<slug:cohort>/moderation/entries/<int:pk>/restore/",
        moderation.restore_entry,
        name="restore_entry",
    ),
    path(
        "c/<slug:cohort>/moderation/comments/<int:pk>/hide/",
        moderation.hide_comment,
        name="hide_comment",
    ),
    path(
        "c/<slug:cohort>/moderation/comments/<int:pk>/restore/",
        moderation.restore_comment,
        name="restore_comment",
    ),
    path(
        "c/<slug:cohort>/moderation/entries/<int:pk>/approve/",
        moderation.approve_entry,
        name="approve_entry",
    ),
    path(
        "c/<slug:cohort>/moderation/comments/<int:pk>/approve/",
        moderation.approve_comment,
        name="approve_comment",
    ),
    path(
        "c/<slug:cohort>/moderation/people/<str:username>/spammer/",
        moderation.remove_spammer,
        name="remove_spammer",
    ),
    path(
        "c/<slug:cohort>/moderation/log/<int:pk>/undo/",
        moderation.undo_spammer_removal,
        name="undo_spammer_removal",
    ),
    path(
        "c/<slug:cohort>/moderation/reports/<int:pk>/dismiss/",
        moderation.dismiss_report,
        name="dismiss_report",
    ),
    path("comments/<int:pk>/report/", moderation.report_comment, name="report_comment"),
    path(
        "@<str:username>/<slug:slug>/report/",
        moderation.report_entry,
        name="report_entry",
    ),
]
