"""Reusing programmes: duplicate one, export it to a zip, import it again.

The portable file is a zip of Markdown files, readable and editable by hand:

    programme.md              front matter: title, slug, summary,
                              reflection_reading (true unless the owners
                              turned the authors' readings off)
    things/01-<slug>.md       front matter: number, title, slug, questions,
                              action, minutes, status, and for the images the
                              introduction shows their alt text (image_alt:
                              file to text) and which are decorative
                              (decorative_images); the introduction below
    images/<id>.<ext>         each image an introduction shows, which it
                              points at as ../images/<id>.<ext>

Front matter sits between two `---` lines, one `key: value` a line, each value
written with json.dumps: valid YAML for any tool that wants to read it, and
parsed back here by a small parser of exactly that format, so Ponder needs no
YAML library. An import is validated whole before anything is written, and
written in one transaction: a bad file changes nothing. Each image is
checked as an upload is (core/images.py) when the file is read, and kept as
an upload of the importing owner, in their space, by the app that keeps
images (core.images.image_keeper: programmes sit below the journal).

A zip's sizes are claims. The bytes each file actually inflates to are counted
as they are read, a chunk at a time, against one budget for the whole file, so
no header can make an import use more than a few tens of megabytes; only the
two methods that can be inflated a bounded chunk at a time are read.
"""

from __future__ import annotations

import io
import json
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext

from core.images import (
    ImageRefused,
    PortableImage,
    check_size,
    image_keeper,
    open_image,
)
from core.jsonbody import nesting_depth
from core.text import unstorable_in, unstorable_reason
from programmes import hooks
from programmes.models import Programme, Thing

#: The largest upload accepted, and the most its files may hold unpacked: a
#: programme of a few dozen Things is a few hundred kilobytes of text, and its
#: images, re-encoded when they were uploaded, a few megabytes.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
#: One file at its longest is about 110 kB; reading one holds a few copies.
MAX_FILE_BYTES = 1024 * 1024
#: A programme is a few dozen Things; this many, each at its longest, keep the
#: parsed import well under 50 MB (bench/zip_bomb.py measures it).
MAX_FILES = 200
#: Of those files, how many may be images.
MAX_IMAGES = 60
#: What the studio's questions field takes (programmes/forms.py ThingForm).
MAX_QUESTIONS_LENGTH = 5000
#: How much is inflated at a time: what reading one file holds beyond its text.
READ_CHUNK_BYTES = 64 * 1024
#: zlib's deflate honours a bound on each chunk's output; bzip2 and LZMA in
#: zipfile inflate a whole compressed chunk at once, gigabytes from kilobytes.
READABLE_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
#: The most a PositiveIntegerField holds on every database (PostgreSQL's integer).
MAX_WHOLE_NUMBER = 2**31 - 1

PROGRAMME_FILE = "programme.md"
THINGS_FOLDER = "things/"
IMAGES_FOLDER = "images/"
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp")
#: An image's file as a Thing's Markdown points at it, from things/.
IMAGE_LINK_RE = re.compile(r"\.\./(images/[A-Za-z0-9_.-]+)")
PROGRAMME_KEYS = ("title", "slug", "summary", "reflection_reading")
THING_KEYS = (
    "number",
    "title",
    "slug",
    "questions",
    "action",
    "minutes",
    "status",
    "image_alt",
    "decorative_images",
)


# Duplicate --------------------------------------------------------------------


def _free_slug(base: str) -> str:
    """`base`, or `base-2`, `base-3`… : the first no programme has."""
    max_length = Programme._meta.get_field("slug").max_length
    base = base[:max_length].strip("-") or "programme"
    taken = set(
        Programme.objects.filter(slug__startswith=base[: max_length - 4]).values_list(
            "slug", flat=True
        )
    )
    slug, suffix = base, 2
    while slug in taken:
        tail = f"-{suffix}"
        slug = f"{base[: max_length - len(tail)].strip('-')}{tail}"
        suffix += 1
    return slug


THING_FIELDS = (
    "number",
    "title",
    "slug",
    "introduction",
    "questions",
    "action",
    "estimated_minutes",
    "status",
)


@transaction.atomic
def duplicate_programme(*, programme: Programme, owner: User) -> Programme:
    """A copy of the programme and all its Things, owned by `owner`; no cohorts."""
    title_length = Programme._meta.get_field("title").max_length
    copy = Programme.objects.create(
        title=(gettext("Copy of %(title)s") % {"title": programme.title})[
            :title_length
        ],
        slug=_free_slug(f"copy-of-{programme.slug}"),
        summary=programme.summary,
        offers_reflection_reading=programme.offers_reflection_reading,
    )
    copy.owners.add(owner)
    for thing in programme.things.order_by("number"):
        # save() renders the introduction; bulk_create would skip it.
        copied = Thing.objects.create(
            programme=copy, **{name: getattr(thing, name) for name in THING_FIELDS}
        )
        hooks.thing_saved(thing=copied)
    return copy


# Export -----------------------------------------------------------------------


def _front_matter(values: dict[str, Any]) -> str:
    lines = [
        f"{key}: {json.dumps(value, ensure_ascii=False)}"
        for key, value in values.items()
    ]
    return "---\n" + "\n".join(lines) + "\n---\n"


def thing_filename(thing: Thing) -> str:
    return f"{THINGS_FOLDER}{thing.number:02d}-{thing.slug}.md"


def _image_front_matter(images: list[PortableImage]) -> dict[str, Any]:
    described = {
        f"{IMAGES_FOLDER}{image.name}": image.alt for image in images if image.alt
    }
    decorative = [
        f"{IMAGES_FOLDER}{image.name}" for image in images if image.decorative
    ]
    return {
        **({"image_alt": described} if described else {}),
        **({"decorative_images": decorative} if decorative else {}),
    }


def export_programme(programme: Programme) -> bytes:
    """The programme and its Things as the bytes of one zip file, with the
    images the introductions show beside them."""
    owner_ids = list(programme.owners.values_list("pk", flat=True))
    written: set[str] = set()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            PROGRAMME_FILE,
            _front_matter(
                {
                    "title": programme.title,
                    "slug": programme.slug,
                    "summary": programme.summary,
                    "reflection_reading": programme.offers_reflection_reading,
                }
            ),
        )
        for thing in programme.things.order_by("number"):
            introduction, images = image_keeper().export(
                thing.introduction, owner_ids=owner_ids, folder=IMAGES_FOLDER
            )
            front = _front_matter(
                {
                    "number": thing.number,
                    "title": thing.title,
                    "slug": thing.slug,
                    "questions": thing.questions,
                    "action": thing.action,
                    "minutes": thing.estimated_minutes,
                    "status": thing.status,
                    **_image_front_matter(images),
                }
            )
            archive.writestr(thing_filename(thing), f"{front}\n{introduction}")
            for image in images:
                name = f"{IMAGES_FOLDER}{image.name}"
                if name not in written:
                    written.add(name)
                    # Already compressed: stored as they are.
                    archive.writestr(name, image.content, zipfile.ZIP_STORED)
    return buffer.getvalue()


# Import -----------------------------------------------------------------------


class PortableFileError(ValueError):
    """A portable file refused; `problems` each name the file, entry and problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class ThingData:
    number: int
    title: str
    slug: str
    introduction: str = ""
    questions: list[str] = field(default_factory=list)
    action: str = ""
    estimated_minutes: int | None = None
    status: str = Thing.Status.DRAFT
    #: Image file (images/…) to its alt text, and the decorative ones.
    image_alt: dict[str, str] = field(default_factory=dict)
    decorative_images: list[str] = field(default_factory=list)


@dataclass
class ProgrammeData:
    title: str
    slug: str
    summary: str
    things: list[ThingData]
    #: Whether authors may ask for a reflection reading (absent: yes).
    offers_reflection_reading: bool = True
    #: The images the introductions point at, checked, named images/….
    images: list[PortableImage] = field(default_factory=list)


class _Problem(Exception):
    pass


def _split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Front matter and body of one file, or a _Problem saying what is wrong."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip("\r") != "---":
        raise _Problem(gettext("it does not start with a front matter line '---'"))
    values: dict[str, Any] = {}
    for index, raw in enumerate(lines[1:], start=2):
        line = raw.rstrip("\r")
        if line == "---":
            body = "\n".join(lines[index:])
            # One blank line separates the front matter from the body.
            if body.startswith("\r\n"):
                body = body[2:]
            elif body.startswith("\n"):
                body = body[1:]
            return values, body
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        key = key.strip()
        if not colon or not key:
            raise _Problem(
                gettext("line %(line)s is not 'key: value'") % {"line": index}
            )
        if key in values:
            raise _Problem(gettext("'%(key)s' is given twice") % {"key": key})
        try:
            # A value is a text, a number or a list of texts: deeper nesting
            # is refused before json.loads recurses into it.
            if nesting_depth(value.encode()) > 1:
                raise ValueError
            values[key] = json.loads(value)
        except ValueError:
            raise _Problem(
                gettext(
                    "the value of '%(key)s' on line %(line)s is not valid "
                    '(write text in double quotes, e.g. "Blogging")'
                )
                % {"key": key, "line": index}
            ) from None
        reason = unstorable_in(values[key])
        if reason is not None:
            raise _Problem(
                gettext("the value of '%(key)s' on line %(line)s: %(reason)s")
                % {"key": key, "line": index, "reason": reason}
            )
    raise _Problem(gettext("its front matter has no closing line '---'"))


def _text(values: dict, key: str, *, required: bool, max_length: int) -> str:
    value = values.get(key)
    if value is None or value == "":
        if required:
            raise _Problem(
                (
                    gettext("'%(key)s' is missing")
                    if value is None
                    else gettext("'%(key)s' is empty")
                )
                % {"key": key}
            )
        return ""
    if not isinstance(value, str):
        raise _Problem(gettext("'%(key)s' must be text") % {"key": key})
    if len(value) > max_length:
        raise _Problem(
            gettext("'%(key)s' is longer than %(count)s characters")
            % {"key": key, "count": max_length}
        )
    return value


def _slug(values: dict, key: str, default_from: str) -> str:
    value = values.get(key)
    if value is None or value == "":
        value = slugify(default_from)[:80].strip("-")
        if not value:
            raise _Problem(gettext("'%(key)s' is missing") % {"key": key})
    if not isinstance(value, str) or len(value) > 80:
        raise _Problem(gettext("'%(key)s' must be a short text") % {"key": key})
    try:
        validate_slug(value)
    except ValidationError:
        raise _Problem(
            gettext("'%(key)s' may hold only letters, digits, hyphens and underscores")
            % {"key": key}
        ) from None
    return value


def _check_keys(values: dict, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise _Problem(
            ngettext(
                "unknown field %(fields)s (known: %(known)s)",
                "unknown fields %(fields)s (known: %(known)s)",
                len(unknown),
            )
            % {"fields": ", ".join(unknown), "known": ", ".join(allowed)}
        )


def _parse_programme(text: str) -> tuple[str, str, str, bool]:
    values, _body = _split_front_matter(text)
    _check_keys(values, PROGRAMME_KEYS)
    title = _text(values, "title", required=True, max_length=200)
    slug = _slug(values, "slug", default_from=title)
    summary = _text(values, "summary", required=False, max_length=2000)
    reflection_reading = values.get("reflection_reading", True)
    if not isinstance(reflection_reading, bool):
        raise _Problem(
            gettext("'%(key)s' must be true or false") % {"key": "reflection_reading"}
        )
    return title, slug, summary, reflection_reading


def _whole_number(value: object) -> bool:
    """An int a column holds: not a bool, not negative, not beyond an integer."""
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and 0 <= value <= MAX_WHOLE_NUMBER
    )


def _parse_thing(text: str) -> ThingData:
    values, body = _split_front_matter(text)
    _check_keys(values, THING_KEYS)
    number = values.get("number")
    if number is None:
        raise _Problem(gettext("'%(key)s' is missing") % {"key": "number"})
    if not _whole_number(number) or number < 1:
        raise _Problem(gettext("'number' must be a whole number from 1"))
    title = _text(values, "title", required=True, max_length=200)
    questions = values.get("questions") or []
    if not isinstance(questions, list) or not all(
        isinstance(question, str) for question in questions
    ):
        raise _Problem(
            gettext('\'questions\' must be a list of texts, like ["Why?", "How?"]')
        )
    if len("\n".join(questions)) > MAX_QUESTIONS_LENGTH:
        raise _Problem(
            gettext("'questions' hold more than %(count)s characters in all")
            % {"count": MAX_QUESTIONS_LENGTH}
        )
    minutes = values.get("minutes")
    if minutes is not None and not _whole_number(minutes):
        raise _Problem(gettext("'minutes' must be a whole number of minutes, or null"))
    status = values.get("status") or Thing.Status.DRAFT
    if status not in Thing.Status.values:
        raise _Problem(
            gettext("'status' must be one of %(values)s")
            % {"values": ", ".join(Thing.Status.values)}
        )
    if len(body) > 20_000:
        raise _Problem(
            gettext("the introduction is longer than %(count)s characters")
            % {"count": 20_000}
        )
    image_alt = values.get("image_alt") or {}
    if not isinstance(image_alt, dict) or not all(
        isinstance(alt, str) and len(alt) <= 1000 for alt in image_alt.values()
    ):
        raise _Problem(
            gettext(
                "'image_alt' must map image files to texts of up to 1000 "
                'characters, like {"images/photo.png": "A library counter"}'
            )
        )
    decorative = values.get("decorative_images") or []
    if not isinstance(decorative, list) or not all(
        isinstance(name, str) for name in decorative
    ):
        raise _Problem(gettext("'decorative_images' must be a list of image files"))
    return ThingData(
        number=number,
        title=title,
        slug=_slug(values, "slug", default_from=title),
        introduction=body,
        questions=questions,
        action=_text(values, "action", required=False, max_length=2000),
        estimated_minutes=minutes,
        status=status,
        image_alt=image_alt,
        decorative_images=decorative,
    )


def _safe_name(name: str) -> bool:
    """No absolute paths, parent folders, drive letters or backslashes."""
    if not name or "\\" in name or name.startswith("/") or "\x00" in name:
        return False
    if re.match(r"^[A-Za-z]:", name):
        return False
    return ".." not in name.split("/") and posixpath.normpath(name) == name.rstrip("/")


def _ignored(name: str) -> bool:
    """Folders, and what macOS and editors add when a folder is zipped again."""
    return (
        name.endswith("/")
        or name.startswith("__MACOSX/")
        or posixpath.basename(name).startswith(".")
    )


def read_portable_file(upload: IO[bytes], filename: str) -> ProgrammeData:
    """Parse and check a whole portable file; PortableFileError lists every problem."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise PortableFileError(
            [
                gettext("%(file)s is %(size).1f MB; the limit is %(limit)s MB.")
                % {
                    "file": filename,
                    "size": size / 1024 / 1024,
                    "limit": MAX_UPLOAD_BYTES // 1024 // 1024,
                }
            ]
        )
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise PortableFileError(
            [
                gettext("%(file)s is larger than %(limit)s MB.")
                % {"file": filename, "limit": MAX_UPLOAD_BYTES // 1024 // 1024}
            ]
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise PortableFileError(
            [
                gettext(
                    "%(file)s is not a zip file; export a programme from Ponder "
                    "to get one."
                )
                % {"file": filename}
            ]
        ) from None
    with archive:
        return _read_archive(archive, filename)


class _OverBudget(Exception):
    pass


def _too_large(filename: str) -> PortableFileError:
    return PortableFileError(
        [
            gettext(
                "%(file)s unpacks to more than %(limit)s MB; a programme is far "
                "smaller."
            )
            % {"file": filename, "limit": MAX_UNPACKED_BYTES // 1024 // 1024}
        ]
    )


def _inflate(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: int
) -> bytearray:
    """The member's bytes, counted as they are inflated; _OverBudget as soon as
    they pass `budget`, whatever its header says it holds."""
    raw = bytearray()
    with archive.open(member) as stream:
        while chunk := stream.read(min(READ_CHUNK_BYTES, budget - len(raw) + 1)):
            raw += chunk
            if len(raw) > budget:
                raise _OverBudget
    return raw


def _read_archive(archive: zipfile.ZipFile, filename: str) -> ProgrammeData:
    members = archive.infolist()
    if len(members) > MAX_FILES:
        raise PortableFileError(
            [
                gettext("%(file)s holds more than %(count)s files.")
                % {"file": filename, "count": MAX_FILES}
            ]
        )
    problems: list[str] = []
    for member in members:
        if not _safe_name(member.filename):
            problems.append(
                gettext(
                    "%(file)s: the entry name %(name)r is not allowed "
                    "(no absolute paths or '..')."
                )
                % {"file": filename, "name": member.filename}
            )
    if problems:
        raise PortableFileError(problems)
    names = [member.filename for member in members]
    for name in sorted({name for name in names if names.count(name) > 1}):
        problems.append(
            gettext("%(file)s: %(name)s is in it more than once.")
            % {"file": filename, "name": name}
        )
    if problems:
        raise PortableFileError(problems)
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise _too_large(filename)
    if sum(1 for member in members if _is_image(member.filename)) > MAX_IMAGES:
        raise PortableFileError(
            [
                gettext("%(file)s holds more than %(count)s images.")
                % {"file": filename, "count": MAX_IMAGES}
            ]
        )

    budget = MAX_UNPACKED_BYTES
    programme_fields = None
    things: list[tuple[str, ThingData]] = []
    images: dict[str, bytes] = {}
    for member in members:
        name = member.filename
        if _ignored(name):
            continue
        where = f"{filename}, {name}"
        is_thing = name.startswith(THINGS_FOLDER) and name.count("/") == 1
        if _is_image(name):
            if member.compress_type not in READABLE_METHODS:
                problems.append(_unreadable_method(where))
                continue
            try:
                images[name] = _read_image(archive, member, budget)
            except _OverBudget:
                raise _too_large(filename) from None
            except _Problem as problem:
                problems.append(f"{where}: {problem}")
                continue
            budget -= len(images[name])
            continue
        if name != PROGRAMME_FILE and not (is_thing and name.endswith(".md")):
            problems.append(
                gettext(
                    "%(where)s: unexpected file; a programme file holds "
                    "programme.md, things/*.md and images/*.png, .jpg, .gif or "
                    ".webp only."
                )
                % {"where": where}
            )
            continue
        if member.compress_type not in READABLE_METHODS:
            problems.append(_unreadable_method(where))
            continue
        too_long = gettext(
            "%(where)s: unpacks to more than %(limit)d MB; a Thing is far smaller."
        ) % {"where": where, "limit": MAX_FILE_BYTES // 1024 // 1024}
        if member.file_size > MAX_FILE_BYTES:
            problems.append(too_long)
            continue
        try:
            raw = _inflate(archive, member, min(budget, MAX_FILE_BYTES))
        except _OverBudget:
            if budget < MAX_FILE_BYTES:
                raise _too_large(filename) from None
            problems.append(too_long)
            continue
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError):
            problems.append(
                gettext("%(where)s: cannot be unpacked (damaged or encrypted).")
                % {"where": where}
            )
            continue
        budget -= len(raw)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            problems.append(
                gettext("%(where)s: is not UTF-8 text (bad byte at position %(at)s).")
                % {"where": where, "at": error.start}
            )
            continue
        del raw
        reason = unstorable_reason(text)
        if reason is not None:
            problems.append(f"{where}: {reason}")
            continue
        # Parsed at once, so only what the checks keep outlives this loop.
        try:
            if name == PROGRAMME_FILE:
                programme_fields = _parse_programme(text)
            else:
                things.append((name, _parse_thing(text)))
        except _Problem as problem:
            problems.append(f"{where}: {problem}.")

    if programme_fields is None and not any(
        PROGRAMME_FILE in problem for problem in problems
    ):
        problems.append(
            gettext("%(file)s: %(name)s is missing.")
            % {"file": filename, "name": PROGRAMME_FILE}
        )
    things.sort(key=lambda named: named[0])

    if not problems:
        problems += _check_things(things, filename)
        problems += _check_image_names(things, images, filename)
    if problems:
        raise PortableFileError(problems)
    assert programme_fields is not None
    title, slug, summary, reflection_reading = programme_fields
    return ProgrammeData(
        title=title,
        slug=slug,
        summary=summary,
        offers_reflection_reading=reflection_reading,
        things=sorted((thing for _name, thing in things), key=lambda t: t.number),
        images=_images_shown(things, images),
    )


def _is_image(name: str) -> bool:
    return (
        name.startswith(IMAGES_FOLDER)
        and name.count("/") == 1
        and name.lower().endswith(IMAGE_EXTENSIONS)
        and not _ignored(name)
    )


def _unreadable_method(where: str) -> str:
    return gettext(
        "%(where)s: is compressed in a way Ponder does not read; "
        "zip it again with the usual (deflate) compression."
    ) % {"where": where}


def _read_image(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: int
) -> bytes:
    """An image's bytes, checked as an upload is: its size, then what Pillow
    says it is and how many pixels it claims. _OverBudget past `budget`."""
    limit = settings.PONDER_IMAGE_MAX_BYTES
    try:
        check_size(member.file_size)
        try:
            raw = _inflate(archive, member, min(budget, limit))
        except _OverBudget:
            if budget < limit:
                raise
            check_size(limit + 1)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError):
            raise _Problem(
                gettext("cannot be unpacked (damaged or encrypted).")
            ) from None
        open_image(bytes(raw))
    except ImageRefused as refused:
        raise _Problem(str(refused)) from None
    return bytes(raw)


def _check_image_names(
    things: list[tuple[str, ThingData]], images: dict[str, bytes], filename: str
) -> list[str]:
    """Every image a Thing points at or describes is in the file."""
    problems = []
    for name, thing in things:
        named = (
            set(IMAGE_LINK_RE.findall(thing.introduction))
            | set(thing.image_alt)
            | set(thing.decorative_images)
        )
        problems += [
            gettext("%(where)s: it shows %(image)s, which is not in the file.")
            % {"where": f"{filename}, {name}", "image": image}
            for image in sorted(named - set(images))
        ]
    return problems


def _images_shown(
    things: list[tuple[str, ThingData]], images: dict[str, bytes]
) -> list[PortableImage]:
    """The images the introductions show, described as their Things say; an
    image no Thing shows is not kept."""
    alt: dict[str, str] = {}
    decorative: set[str] = set()
    shown: list[str] = []
    for _name, thing in things:
        for image in IMAGE_LINK_RE.findall(thing.introduction):
            if image not in shown:
                shown.append(image)
        for image, text in thing.image_alt.items():
            alt.setdefault(image, text)
        decorative.update(thing.decorative_images)
    return [
        PortableImage(
            name=image,
            content=images[image],
            alt=" ".join(alt.get(image, "").split()),
            decorative=image in decorative,
        )
        for image in shown
    ]


def _check_things(things: list[tuple[str, ThingData]], filename: str) -> list[str]:
    problems = []
    duplicates = {
        "number": gettext(
            "%(where)s: number %(value)s is also the number of %(other)s."
        ),
        "slug": gettext("%(where)s: slug %(value)s is also the slug of %(other)s."),
    }
    for key, duplicate in duplicates.items():
        seen: dict[object, str] = {}
        for name, thing in things:
            value = getattr(thing, key)
            if value in seen:
                problems.append(
                    duplicate
                    % {
                        "where": f"{filename}, {name}",
                        "value": value,
                        "other": seen[value],
                    }
                )
            else:
                seen[value] = name
    if not problems:
        numbers = sorted(thing.number for _name, thing in things)
        expected = list(range(1, len(things) + 1))
        if numbers != expected:
            missing = sorted(set(expected) - set(numbers))
            problems.append(
                gettext(
                    "%(file)s: the Things must be numbered 1 to %(count)s "
                    "without gaps; number %(missing)s is missing."
                )
                % {"file": filename, "count": len(things), "missing": missing[0]}
            )
    return problems


@transaction.atomic
def import_programme(*, data: ProgrammeData, owner: User) -> Programme:
    """A new programme from checked data, owned by `owner`; its images are
    kept as uploads of `owner` and the introductions point at them.

    A slug another programme has gets a suffix (-2, -3…): importing the same
    file twice gives two programmes, as duplicating does. PortableFileError
    if `owner` has no space left for the images: nothing is imported.
    """
    programme = Programme.objects.create(
        title=data.title,
        slug=_free_slug(data.slug),
        summary=data.summary,
        offers_reflection_reading=data.offers_reflection_reading,
    )
    programme.owners.add(owner)
    try:
        addresses = image_keeper().keep(owner=owner, images=data.images)
    except ImageRefused as refused:
        raise PortableFileError([str(refused)]) from None

    def kept(match: re.Match[str]) -> str:
        return addresses.get(match.group(1), match.group(0))

    for thing in data.things:
        imported = Thing.objects.create(
            programme=programme,
            number=thing.number,
            title=thing.title,
            slug=thing.slug,
            introduction=IMAGE_LINK_RE.sub(kept, thing.introduction),
            questions=thing.questions,
            action=thing.action,
            estimated_minutes=thing.estimated_minutes,
            status=thing.status,
        )
        hooks.thing_saved(thing=imported)
    return programme
