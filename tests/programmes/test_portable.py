"""Export a programme to one zip and import it again (issue 3, Reuse)."""

import io
import json
import zipfile
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programmes import actions
from programmes.models import Programme, Thing
from programmes.portable import MAX_UNPACKED_BYTES, MAX_UPLOAD_BYTES, export_programme

IMPORT_URL = reverse("studio:import_programme")
MB = 1024 * 1024
PROGRAMME_FIELDS = ["title", "summary", "offers_reflection_reading"]
THING_FIELDS = [
    "number",
    "title",
    "slug",
    "introduction",
    "introduction_html",
    "questions",
    "action",
    "estimated_minutes",
    "status",
]


@pytest.fixture
def importer(owner):
    owner.user_permissions.add(Permission.objects.get(codename="add_programme"))
    return owner


@pytest.fixture
def tricky_programme(owner) -> Programme:
    """Text that a naive format would break: quotes, colons, ---, CRLF, unicode."""
    programme = actions.create_programme(
        owner=owner,
        title='Thing "23": a programme',
        slug="tricky",
        summary="Line one\nline two: with a colon\n---\n",
        offers_reflection_reading=False,
    )
    actions.add_thing(
        programme=programme,
        title="Café: über — 😀",
        slug="cafe",
        introduction="---\nnot: front matter\r\n\r\n## Heading\n\n- a list\n\n",
        questions=['Why? "quoted"', "key: value", "---"],
        action="Write\nthree lines\n",
        estimated_minutes=None,
        status=Thing.Status.DRAFT,
    )
    actions.add_thing(
        programme=programme,
        title="Empty",
        slug="empty",
        introduction="",
        questions=[],
        action="",
        estimated_minutes=0,
        status=Thing.Status.PUBLISHED,
    )
    return programme


def upload(content: bytes, name: str = "programme.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/zip")


def zipped(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def front(**values) -> str:
    lines = [f"{key}: {json.dumps(value)}" for key, value in values.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def good_files() -> dict[str, str]:
    return {
        "programme.md": front(title="Imported", slug="imported", summary="S"),
        "things/01-one.md": front(number=1, title="One", slug="one") + "\nIntro 1",
        "things/02-two.md": front(number=2, title="Two", slug="two") + "\nIntro 2",
    }


def post(client, content: bytes, name: str = "programme.zip"):
    return client.post(IMPORT_URL, {"file": upload(content, name)})


def things_of(programme: Programme) -> list[dict]:
    return list(programme.things.order_by("number").values(*THING_FIELDS))


# Export -------------------------------------------------------------------------


def test_the_export_is_a_zip_of_markdown(client_for, owner, programme):
    response = client_for(owner).get(
        reverse("studio:export_programme", args=[programme.slug])
    )
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/zip"
    assert 'filename="23-things.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == [
        "programme.md",
        "things/01-getting-started.md",
        "things/02-blogging.md",
        "things/03-feeds.md",
        "things/04-networks.md",
        "things/05-podcasts.md",
    ]
    assert archive.read("programme.md").decode() == (
        '---\ntitle: "23 Things"\nslug: "23-things"\nsummary: "A programme."\n'
        "reflection_reading: true\n---\n"
    )
    assert archive.read("things/02-blogging.md").decode() == (
        "---\n"
        "number: 2\n"
        'title: "Blogging"\n'
        'slug: "blogging"\n'
        'questions: ["What do you know about blogging?", "What next?"]\n'
        'action: "Try it."\n'
        "minutes: 45\n"
        'status: "published"\n'
        "---\n"
        "\n"
        "Introduction to **Blogging**."
    )


@pytest.mark.parametrize("persona", ["facilitator", "author", "outsider"])
def test_only_owners_export(client_as, persona, programme, cohort, author, outsider):
    response = client_as(persona).get(
        reverse("studio:export_programme", args=[programme.slug])
    )
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_visitor_is_sent_to_sign_in_to_export(client, programme):
    response = client.get(reverse("studio:export_programme", args=[programme.slug]))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))


# Export then import --------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["programme", "tricky_programme"])
def test_export_then_import_gives_an_equal_programme(
    request, fixture, client_for, importer
):
    original = request.getfixturevalue(fixture)
    client = client_for(importer)
    exported = client.get(reverse("studio:export_programme", args=[original.slug]))
    response = post(client, exported.content, f"{original.slug}.zip")
    copy = Programme.objects.exclude(pk=original.pk).get()
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == copy.get_absolute_url()
    for field in PROGRAMME_FIELDS:
        assert getattr(copy, field) == getattr(original, field)
    assert copy.slug == f"{original.slug}-2"  # the original still has its slug
    assert things_of(copy) == things_of(original)
    assert list(copy.owners.all()) == [importer]
    assert not copy.cohorts.exists()


def test_an_import_keeps_a_free_slug(client_for, importer, programme):
    content = export_programme(programme)
    programme.cohorts.all().delete()
    programme.delete()
    response = post(client_for(importer), content)
    assert response.status_code == HTTPStatus.FOUND
    assert Programme.objects.get().slug == "23-things"


def test_a_hand_written_file_may_leave_out_optional_fields(client_for, importer):
    files = {
        "programme.md": front(title="By hand"),
        "things/01.md": front(number=1, title="First steps") + "\nHello",
    }
    response = post(client_for(importer), zipped(files))
    assert response.status_code == HTTPStatus.FOUND
    programme = Programme.objects.get()
    assert programme.slug == "by-hand"
    assert programme.offers_reflection_reading
    thing = programme.things.get()
    assert (thing.slug, thing.status, thing.questions) == ("first-steps", "draft", [])
    assert thing.introduction == "Hello"


def test_the_studio_links_to_import(client_for, importer):
    page = client_for(importer).get(reverse("studio:index")).content.decode()
    assert IMPORT_URL in page


# Bad files ------------------------------------------------------------------------


def refused(client, content: bytes, name: str = "programme.zip") -> str:
    response = post(client, content, name)
    assert response.status_code == HTTPStatus.OK
    assert not Programme.objects.exists()
    assert not Thing.objects.exists()
    form = response.context["form"]
    return " ".join(form.errors["file"])


def without(files: dict, name: str) -> dict:
    return {key: value for key, value in files.items() if key != name}


def thing_file(**values) -> str:
    return front(**values) + "\nIntro"


BAD_FILES = {
    "not a zip": (b"%PDF-1.4 not a zip", "programme.zip is not a zip file"),
    "no programme.md": (
        zipped(without(good_files(), "programme.md")),
        "programme.zip: programme.md is missing",
    ),
    "programme without title": (
        zipped({**good_files(), "programme.md": front(slug="x")}),
        "programme.zip, programme.md: 'title' is missing",
    ),
    "thing without title": (
        zipped({**good_files(), "things/02-two.md": thing_file(number=2, slug="t")}),
        "programme.zip, things/02-two.md: 'title' is missing",
    ),
    "thing with an empty title": (
        zipped({**good_files(), "things/02-two.md": thing_file(number=2, title="")}),
        "programme.zip, things/02-two.md: 'title' is empty",
    ),
    "thing without number": (
        zipped({**good_files(), "things/02-two.md": thing_file(title="Two")}),
        "programme.zip, things/02-two.md: 'number' is missing",
    ),
    "duplicate numbers": (
        zipped({**good_files(), "things/02-two.md": thing_file(number=1, title="Two")}),
        "programme.zip, things/02-two.md: number 1 is also the number of "
        "things/01-one.md",
    ),
    "numbers not 1..n": (
        zipped({**good_files(), "things/02-two.md": thing_file(number=3, title="Two")}),
        "programme.zip: the Things must be numbered 1 to 2 without gaps; "
        "number 2 is missing",
    ),
    "duplicate slugs": (
        zipped(
            {
                **good_files(),
                "things/02-two.md": thing_file(number=2, title="Two", slug="one"),
            }
        ),
        "programme.zip, things/02-two.md: slug one is also the slug of "
        "things/01-one.md",
    ),
    "bad UTF-8": (
        zipped({**good_files(), "things/02-two.md": b'---\ntitle: "\xff\xfe"\n'}),
        "programme.zip, things/02-two.md: is not UTF-8 text",
    ),
    "no front matter": (
        zipped({**good_files(), "things/02-two.md": "# Just Markdown"}),
        "programme.zip, things/02-two.md: it does not start with a front matter",
    ),
    "unclosed front matter": (
        zipped({**good_files(), "things/02-two.md": '---\ntitle: "Two"\n'}),
        "programme.zip, things/02-two.md: its front matter has no closing line",
    ),
    "a value that is not JSON": (
        zipped(
            {**good_files(), "things/02-two.md": "---\nnumber: 2\ntitle: Two\n---\n"}
        ),
        "programme.zip, things/02-two.md: the value of 'title' on line 3 is not valid",
    ),
    "wrong types": (
        zipped(
            {
                **good_files(),
                "things/02-two.md": thing_file(number="2", title="Two"),
            }
        ),
        "programme.zip, things/02-two.md: 'number' must be a whole number",
    ),
    "questions not a list": (
        zipped(
            {
                **good_files(),
                "things/02-two.md": thing_file(number=2, title="Two", questions="Q"),
            }
        ),
        "programme.zip, things/02-two.md: 'questions' must be a list of texts",
    ),
    "a bad status": (
        zipped(
            {
                **good_files(),
                "things/02-two.md": thing_file(number=2, title="Two", status="live"),
            }
        ),
        "programme.zip, things/02-two.md: 'status' must be one of draft, published",
    ),
    "an unknown field": (
        zipped(
            {**good_files(), "things/02-two.md": thing_file(number=2, title="T", x=1)}
        ),
        "programme.zip, things/02-two.md: unknown field x",
    ),
    "a bad slug": (
        zipped(
            {
                **good_files(),
                "things/02-two.md": thing_file(number=2, title="T", slug="a b/c"),
            }
        ),
        "programme.zip, things/02-two.md: 'slug' may hold only letters",
    ),
    "reflection_reading not a flag": (
        zipped(
            {**good_files(), "programme.md": front(title="T", reflection_reading="no")}
        ),
        "programme.zip, programme.md: 'reflection_reading' must be true or false",
    ),
    "path traversal": (
        zipped({**good_files(), "../../etc/passwd.md": "x"}),
        "programme.zip: the entry name '../../etc/passwd.md' is not allowed",
    ),
    "an absolute path": (
        zipped({**good_files(), "/things/03.md": "x"}),
        "programme.zip: the entry name '/things/03.md' is not allowed",
    ),
    "an unexpected file": (
        zipped({**good_files(), "script.py": "print()"}),
        "programme.zip, script.py: unexpected file",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_a_bad_file_is_refused_with_a_message(client_for, importer, case):
    content, message = BAD_FILES[case]
    assert message in refused(client_for(importer), content)


def test_every_problem_is_listed(client_for, importer):
    files = {
        **good_files(),
        "things/01-one.md": thing_file(number=1),
        "things/02-two.md": thing_file(title="Two"),
    }
    errors = refused(client_for(importer), zipped(files))
    assert "things/01-one.md: 'title' is missing" in errors
    assert "things/02-two.md: 'number' is missing" in errors


def test_the_message_names_the_uploaded_file(client_for, importer):
    errors = refused(client_for(importer), b"nope", "spring-2026.zip")
    assert "spring-2026.zip is not a zip file" in errors


def test_an_oversized_upload_is_refused(client_for, importer):
    content = zipped(good_files()) + b"\0" * MAX_UPLOAD_BYTES
    errors = refused(client_for(importer), content)
    megabytes = MAX_UPLOAD_BYTES // 1024 // 1024
    assert f"programme.zip is {megabytes}.0 MB; the limit is {megabytes} MB" in errors


def test_a_zip_bomb_is_refused(client_for, importer):
    bomb = {**good_files(), "things/03-big.md": "a" * (MAX_UNPACKED_BYTES + MB)}
    content = zipped(bomb)
    assert len(content) < 200_000
    errors = refused(client_for(importer), content)
    assert f"programme.zip unpacks to more than {MAX_UNPACKED_BYTES // MB} MB" in errors


def test_a_zip_that_lies_about_its_sizes_is_refused(client_for, importer):
    content = bytearray(zipped({**good_files(), "things/03-big.md": "a" * 5000}))
    # Claim 10 bytes unpacked, in the local header and the central directory:
    # what a zip bomb does to slip under a limit on the declared sizes.
    name = b"things/03-big.md"
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := content.find(signature, start)) != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if content[name_at : name_at + len(name)] == name:
                content[start + offset : start + offset + 4] = (10).to_bytes(
                    4, "little"
                )
            start += 4
    errors = refused(client_for(importer), bytes(content))
    assert "things/03-big.md: cannot be unpacked" in errors


def test_nothing_is_half_imported(client_for, importer):
    """The last Thing is bad: not even the programme is created."""
    files = {
        **good_files(),
        "things/03-three.md": front(number=3, title="T" * 201),
    }
    errors = refused(client_for(importer), zipped(files))
    assert "things/03-three.md: 'title' is longer than 200 characters" in errors


def test_a_failure_while_writing_leaves_nothing(client_for, importer, monkeypatch):
    calls = []
    original = Thing.save

    def failing_save(self, *args, **kwargs):
        calls.append(self.number)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        original(self, *args, **kwargs)

    monkeypatch.setattr(Thing, "save", failing_save)
    client = client_for(importer)
    client.raise_request_exception = False
    response = post(client, zipped(good_files()))
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert not Programme.objects.exists()
    assert not Thing.objects.exists()


def test_no_file_is_an_error_beside_the_field(client_for, importer):
    response = client_for(importer).post(IMPORT_URL, {})
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["file"]


# Permissions ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["owner", "facilitator", "author", "outsider"])
def test_import_needs_the_permission(client_as, persona, cohort, author, outsider):
    client = client_as(persona)
    assert client.get(IMPORT_URL).status_code == HTTPStatus.FORBIDDEN
    response = post(client, zipped(good_files()))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Programme.objects.filter(slug="imported").exists()


def test_a_visitor_is_sent_to_sign_in_to_import(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))


def test_the_importer_owns_the_import(client_for, importer, make_user):
    response = post(client_for(importer), zipped(good_files()))
    assert response.status_code == HTTPStatus.FOUND
    programme = Programme.objects.get(slug="imported")
    assert list(programme.owners.all()) == [importer]
    assert [t.title for t in programme.things.order_by("number")] == ["One", "Two"]


def test_an_entry_given_twice_is_refused(client_for, importer):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in good_files().items():
            archive.writestr(name, content)
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr("things/01-one.md", front(number=1, title="Other"))
    errors = refused(client_for(importer), buffer.getvalue())
    assert "programme.zip: things/01-one.md is in it more than once" in errors
