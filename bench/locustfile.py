"""The soak run's participants (bench/soak.py starts locust with this file).

SOAK_PLAN names the JSON file bench/soak.py prepared (sessions, open Things,
readable entries); SOAK_RECORD is where this writes, when the run stops, the
tokens of every write the server accepted and the request statistics.

Every request must succeed: a GET must answer 200 (a redirect would be the
sign-in page), a form POST its redirect, an autosave 201/200, an htmx comment
200. Anything else, or a connection error, is a failure.
"""

import json
import os
import random
import re
import uuid
from pathlib import Path

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["SOAK_PLAN"]).read_text())
COHORT = PLAN["cohort"]
UNASSIGNED = list(PLAN["participants"])
READABLE = list(PLAN["entries"])  # grows as entries are published
SEARCH_WORDS = ["team", "notes", "habit", "project", "laptop", "week"]
ACCEPTED = {"entries": {}, "comments": []}

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
EDITOR_KEY = re.compile(r'name="editor_key" value="([^"]+)"')
BASE_VERSION = re.compile(r'name="base_version" value="(\d+)"')


def new_token() -> str:
    return f"soak-{uuid.uuid4().hex[:16]}"


def expect(response, *statuses: int) -> bool:
    """Mark the response a failure unless its status is one of `statuses`."""
    if response.status_code in statuses:
        response.success()
        return True
    where = response.headers.get("Location", "") if response.status_code else ""
    response.failure(
        f"status {response.status_code}{' to ' + where if where else ''}"
        f"{': ' + str(response.error) if response.error else ''}"
    )
    return False


class Participant(HttpUser):
    wait_time = between(1, 4)

    def on_start(self) -> None:
        self.me = UNASSIGNED.pop()
        self.client.cookies.set("sessionid", self.me["session"])

    def page(self, path: str, name: str) -> str | None:
        """GET a page that must answer 200; its HTML, or None on failure."""
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            return response.text if expect(response, 200) else None

    def post(self, path: str, name: str, data: dict, *statuses: int, **kwargs):
        with self.client.post(
            path,
            data=data,
            name=name,
            allow_redirects=False,
            catch_response=True,
            **kwargs,
        ) as response:
            return response if expect(response, *statuses) else None

    # Reading

    @task(3)
    def cohort_page(self) -> None:
        self.page(f"/c/{COHORT}/", "cohort page")

    @task(3)
    def thing_page(self) -> None:
        self.page(f"/c/{COHORT}/things/{random.choice(PLAN['things'])}/", "Thing page")

    @task(5)
    def entry_page(self) -> None:
        self.page(random.choice(READABLE), "entry page")

    @task(3)
    def dashboard(self) -> None:
        self.page("/", "dashboard")

    @task(2)
    def notifications(self) -> None:
        self.page("/notifications/", "notifications")

    @task(2)
    def search(self) -> None:
        self.page(f"/search/?q={random.choice(SEARCH_WORDS)}", "search")

    # Writing: the editor's first autosave creates a draft, a second one
    # continues it, then the form's Publish button publishes it.

    @task(2)
    def write_entry(self) -> None:
        if self.me["unwritten"]:
            path = f"/write/{COHORT}/{self.me['unwritten'].pop()}/"
            extra = {}
        else:  # every open Thing answered: a free reflection shared with the cohort
            path, extra = "/write/", {"cohort": str(PLAN["cohort_id"])}
        html = self.page(path, "editor (new)")
        if html is None:
            return
        token = new_token()
        form = {
            "csrfmiddlewaretoken": CSRF.search(html).group(1),
            "editor_key": EDITOR_KEY.search(html).group(1),
            "base_version": BASE_VERSION.search(html).group(1),
            "title": f"Soak entry {token}",
            "body": f"## What I tried\n\nFirst words of {token}.",
            "action": "Try it again next week.",
            "minutes": "30",
            "visibility": "cohort",
            "tags": "",
            **extra,
        }
        saved = self.autosave(f"{path}autosave/", form, 201, "autosave (new)")
        if saved is None:
            return
        ACCEPTED["entries"][token] = "draft"
        form["body"] += "\n\nMore words, typed a little later."
        form["base_version"] = str(saved["version"])
        saved = self.autosave(saved["autosave_url"], form, 200, "autosave")
        if saved is None:
            return
        form["base_version"] = str(saved["version"])
        response = self.post(
            saved["edit_url"], "editor publish", {**form, "publish": ""}, 302
        )
        if response is not None:
            ACCEPTED["entries"][token] = "published"
            READABLE.append(response.headers["Location"])

    def autosave(self, path: str, form: dict, status: int, name: str) -> dict | None:
        response = self.post(
            path,
            name,
            form,
            status,
            headers={
                "X-CSRFToken": form["csrfmiddlewaretoken"],
                "Accept": "application/json",
            },
        )
        return response.json() if response is not None else None

    # Commenting, half through the plain form, half as htmx does.

    @task(4)
    def comment(self) -> None:
        entry = random.choice(READABLE)
        html = self.page(entry, "entry page")
        if html is None:
            return
        token = new_token()
        data = {
            "csrfmiddlewaretoken": CSRF.search(html).group(1),
            "body": f"Thanks for this: {token}",
        }
        if random.random() < 0.5:
            response = self.post(f"{entry}comments/", "comment", data, 302)
        else:
            response = self.post(
                f"{entry}comments/",
                "comment (htmx)",
                data,
                200,
                headers={"HX-Request": "true"},
            )
        if response is not None:
            ACCEPTED["comments"].append(token)


@events.test_stop.add_listener
def write_record(environment, **_kwargs) -> None:
    stats = environment.stats
    rows = [
        {
            "name": f"{entry.method} {entry.name}",
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50": entry.get_response_time_percentile(0.5) or 0,
            "p95": entry.get_response_time_percentile(0.95) or 0,
            "max": entry.max_response_time or 0,
        }
        for entry in sorted(stats.entries.values(), key=lambda e: (e.method, e.name))
    ]
    total = stats.total
    rows.append(
        {
            "name": "All requests",
            "requests": total.num_requests,
            "failures": total.num_failures,
            "p50": total.get_response_time_percentile(0.5) or 0,
            "p95": total.get_response_time_percentile(0.95) or 0,
            "max": total.max_response_time or 0,
        }
    )
    errors = [
        {
            "method": error.method,
            "name": error.name,
            "error": str(error.error),
            "occurrences": error.occurrences,
        }
        for error in stats.errors.values()
    ]
    Path(os.environ["SOAK_RECORD"]).write_text(
        json.dumps({**ACCEPTED, "stats": rows, "errors": errors})
    )
