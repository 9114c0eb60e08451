"""The top layer: what reads every app below it (DESIGN.md, Layout).

The facilitators' tools that look across a cohort's people and writing (the
progress grid, nudges, certificates, moderation), a participant's dashboard, the
workflows that reach into every app (deleting an account) and the commands
that build data across them (the demo, the benchmark set). They live here
because they import programmes, the journal and notifications alike, and
nothing below may import any of them. It has no models: what it shows and
keeps stays with the app it belongs to (Certificate, Nudge and NudgeDelivery
with the programmes; Report and ModerationAction with the journal).
"""
