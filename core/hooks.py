"""Hooks: named points where an app below calls what the apps above registered.

Imports point down (DESIGN.md, Layout): the journal may not import
notifications, yet posting a comment must tell the people it concerns. So the
journal declares a hook (`journal/hooks.py`: ``comment_posted =
Hook("comment posted")``), its action calls it by name at one place, inside the
action's transaction, and notifications registers its function with it in
`NotificationsConfig.ready()`, as Django's apps register admin classes or checks.

Unlike a model signal, a hook fires only where an action calls it, never on a
save elsewhere: the call stands in the action for a reader to follow, and what
was registered runs there, in the same transaction, in the order registered.
"""

from __future__ import annotations

from collections.abc import Callable


class Hook:
    def __init__(self, name: str) -> None:
        self.name = name
        self._functions: list[Callable[..., object]] = []

    def __repr__(self) -> str:
        return f"<Hook {self.name!r}>"

    def register(self, function: Callable[..., object]) -> Callable[..., object]:
        """Call `function` with the hook's keyword arguments each time it fires.

        Registering the same function again changes nothing, so a `ready()` that
        runs twice does not make it run twice.
        """
        if function not in self._functions:
            self._functions.append(function)
        return function

    def __call__(self, **kwargs: object) -> None:
        """Run every registered function; an exception goes up to the caller."""
        for function in self._functions:
            function(**kwargs)
