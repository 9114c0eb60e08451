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
#: Who may read an entry changed at once: it was deleted, restored or moved
#: back to draft (what is said about it may now be read or not): ``entry``.
entry_readers_changed = Hook("entry readers changed")
