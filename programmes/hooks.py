"""Where the programmes' actions call the apps above them (core/hooks.py).

Each hook is called with keyword arguments, inside the action's transaction.
"""

from core.hooks import Hook

#: A Thing was recorded as open to a cohort: ``opening`` (the ThingOpening),
#: ``release`` (its Release) and ``today`` (the cohort's local date).
thing_opened = Hook("Thing opened")
#: A Thing was added or edited: ``thing`` (its ``shown_images`` say which
#: images its introduction shows).
thing_saved = Hook("Thing saved")
