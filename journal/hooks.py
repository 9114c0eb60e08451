"""Where the journal's actions call the apps above it (core/hooks.py).

Each hook is called with keyword arguments, inside the action's transaction.
"""

from core.hooks import Hook

#: An entry was saved or a revision restored: ``entry``.
entry_saved = Hook("entry saved")
#: A comment or reply was posted: ``comment``.
comment_posted = Hook("comment posted")
#: A comment's text was edited: ``comment``.
comment_edited = Hook("comment edited")
