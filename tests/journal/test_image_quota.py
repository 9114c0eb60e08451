"""Each person's space for images holds when uploads arrive at the same
moment (PostgreSQL: threads share its test database)."""

from django.core.files.storage import default_storage

from core.images import ImageRefused, clean_image
from journal import actions
from journal.models import Image
from tests.concurrency import at_once, posted_at_once
from tests.images import noise_png, upload

UPLOADS = 4


@posted_at_once
def test_uploads_at_the_same_moment_do_not_pass_the_total_together(make_user, settings):
    owner = make_user("quota")
    pictures = [noise_png() for _ in range(UPLOADS)]
    largest = max(clean_image(picture).total_bytes for picture in pictures)
    settings.PONDER_IMAGE_QUOTA_BYTES = largest + largest // 2
    remaining = iter(pictures)

    def send() -> str:
        try:
            actions.upload_image(owner=owner, upload=upload(next(remaining)))
        except ImageRefused:
            return "refused"
        return "kept"

    assert sorted(at_once(UPLOADS, send)) == ["kept"] + ["refused"] * (UPLOADS - 1)
    kept = Image.objects.get(owner=owner)
    assert Image.objects.bytes_used_by(owner) <= settings.PONDER_IMAGE_QUOTA_BYTES
    folders, _files = default_storage.listdir(f"images/{owner.pk}")
    stored = [
        name
        for folder in folders
        for name in default_storage.listdir(f"images/{owner.pk}/{folder}")[1]
    ]
    assert len(stored) == len(kept.renditions)


@posted_at_once
def test_a_retried_upload_near_the_total_still_answers_with_the_first(
    make_user, settings
):
    owner = make_user("retry")
    picture = noise_png()
    settings.PONDER_IMAGE_QUOTA_BYTES = clean_image(picture).total_bytes + 10

    def send():
        return actions.upload_image(
            owner=owner, upload=upload(picture), submission_key="page-1"
        )

    first, second = at_once(2, send)
    assert first == second == Image.objects.get(owner=owner)
