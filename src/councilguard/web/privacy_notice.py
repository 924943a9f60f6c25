"""Which edition of the privacy notice ("What councilguard keeps") is current.

People must be told what is stored about them, in plain words, before they use the app, and told again
when that changes: a person who read an earlier edition sees the new one at their next sign-in. The
edition is a date, bumped by hand whenever ``templates/welcome.html`` changes what it says; a test pins
the template's checksum to the edition, so the text cannot change while the edition stays the same.
"""

from __future__ import annotations

NOTICE_EDITION = "2026-11-25"
