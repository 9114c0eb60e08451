"""Hooks: an app below calls, by name, what the apps above registered."""

import pytest

from core.hooks import Hook
from journal import hooks as journal_hooks
from notifications import notify
from programmes import hooks as programme_hooks


def test_it_calls_what_was_registered_with_the_keywords_in_order() -> None:
    hook = Hook("something happened")
    calls = []
    hook.register(lambda *, thing: calls.append(("first", thing)))
    hook.register(lambda *, thing: calls.append(("second", thing)))

    hook(thing=42)

    assert calls == [("first", 42), ("second", 42)]


def test_a_function_registered_twice_runs_once() -> None:
    hook = Hook("something happened")
    calls = []

    def record(*, thing: int) -> None:
        calls.append(thing)

    hook.register(record)
    hook.register(record)
    hook(thing=1)

    assert calls == [1]


def test_with_nothing_registered_it_does_nothing() -> None:
    Hook("nobody listens")(thing=1)


def test_an_exception_reaches_the_caller() -> None:
    hook = Hook("something happened")

    def fail(**kwargs: object) -> None:
        raise ValueError("no")

    hook.register(fail)
    with pytest.raises(ValueError):
        hook(thing=1)


@pytest.mark.parametrize(
    ("hook", "function"),
    [
        (journal_hooks.entry_saved, notify.entry_saved),
        (journal_hooks.comment_posted, notify.comment_posted),
        (journal_hooks.comment_edited, notify.comment_edited),
        (programme_hooks.thing_opened, notify.thing_opened),
    ],
)
def test_notifications_register_at_the_hooks_below(hook: Hook, function) -> None:
    assert function in hook._functions
