"""Programme imports with real limits: the bytes actually inflated are counted,
whatever the headers claim, and imported text follows the unstorable-text rule."""

import io
import json
import zipfile
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bench.zip_bomb import (
    MB,
    bzip2,
    just_under_the_limit,
    largest_valid,
    measure_in_subprocess,
    understated,
)
from programmes import portable
from programmes.models import Programme
from programmes.portable import PortableFileError, read_portable_file

#: Enough that reading it whole would show, small enough to build in a second.
INFLATES = 512 * MB
MEMORY_LIMIT_MB = 50


@pytest.mark.parametrize(
    "build",
    [understated, just_under_the_limit, largest_valid],
    ids=lambda b: b.__name__,
)
def test_no_zip_costs_more_than_50_mb_whatever_its_headers_claim(build):
    result = measure_in_subprocess(build(INFLATES))

    assert result["extra_mb"] < MEMORY_LIMIT_MB, result


def problems_of(files: dict[str, str], **zip_options) -> list[str]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", **zip_options) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    buffer.seek(0)
    with pytest.raises(PortableFileError) as refused:
        read_portable_file(buffer, "programme.zip")
    return refused.value.problems


PROGRAMME = '---\ntitle: "Spring"\n---\n'


def thing_file(body: str = "Intro", **front) -> str:
    values = {"number": 1, "title": "One"} | front
    lines = "".join(f"{key}: {json.dumps(value)}\n" for key, value in values.items())
    return f"---\n{lines}---\n\n{body}"


def test_a_file_that_inflates_past_its_claim_stops_at_the_claim():
    problems = problems_of_bytes(understated(64 * MB))

    assert problems == [
        "programme.zip, things/01-a.md: cannot be unpacked (damaged or encrypted)."
    ]


def test_a_file_that_claims_more_than_a_thing_holds_is_refused():
    problems = problems_of_bytes(just_under_the_limit(64 * MB))

    assert problems == [
        "programme.zip, things/01-a.md: unpacks to more than 1 MB; "
        "a Thing is far smaller."
    ]


def test_inflating_stops_at_the_budget_whatever_the_header_claims():
    """CPython's zipfile stops at the claimed size too; the count does not rely
    on that."""
    archive = zipfile.ZipFile(io.BytesIO(just_under_the_limit(64 * MB)))
    member = archive.getinfo("things/01-a.md")

    with pytest.raises(portable._OverBudget):
        portable._inflate(archive, member, budget=MB)


def test_compression_that_cannot_be_read_in_bounded_chunks_is_refused():
    problems = problems_of_bytes(bzip2(0))

    assert (
        "things/01-a.md: is compressed in a way Ponder does not read" in (problems[0])
    )


def problems_of_bytes(content: bytes) -> list[str]:
    with pytest.raises(PortableFileError) as refused:
        read_portable_file(io.BytesIO(content), "programme.zip")
    return refused.value.problems


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('title: "a\\ud800b"', "the value of 'title' on line 2: The text holds U+D800"),
        ('title: "a\\u0000b"', "line 2: Null characters are not allowed."),
        ('questions: ["\\udfff"]', "line 2: The text holds U+DFFF"),
        ('questions: [["nested"]]', "the value of 'questions' on line 2 is not valid"),
        ("questions: " + "[" * 100_000, "the value of 'questions' on line 2 is not"),
        ("minutes: " + "9" * 12, "'minutes' must be a whole number of minutes"),
        ("number: " + "9" * 12, "'number' must be a whole number from 1"),
        ('questions: ["' + "q" * 5001 + '"]', "'questions' hold more than 5000"),
    ],
)
def test_front_matter_that_cannot_be_stored_is_a_problem(line, problem):
    key = line.partition(":")[0]
    others = {"number": 1, "title": "One"}
    rest = "".join(f"{k}: {json.dumps(v)}\n" for k, v in others.items() if k != key)
    text = f"---\n{line}\n{rest}---\n"

    problems = problems_of({"programme.md": PROGRAMME, "things/01-one.md": text})

    assert any(problem in found for found in problems), problems


def test_nul_in_an_introduction_is_a_problem():
    problems = problems_of(
        {"programme.md": PROGRAMME, "things/01-one.md": thing_file("a\x00b")}
    )

    assert problems == [
        "programme.zip, things/01-one.md: Null characters are not allowed."
    ]


@pytest.fixture
def importer(owner):
    owner.user_permissions.add(Permission.objects.get(codename="add_programme"))
    return owner


def test_the_import_page_answers_a_surrogate_with_the_problem(client_for, importer):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("programme.md", '---\ntitle: "\\ud800"\n---\n')
    upload = SimpleUploadedFile("programme.zip", buffer.getvalue())

    response = client_for(importer).post(
        reverse("studio:import_programme"), {"file": upload}
    )

    assert response.status_code == HTTPStatus.OK
    assert "U+D800" in " ".join(response.context["form"].errors["file"])
    assert not Programme.objects.exists()
