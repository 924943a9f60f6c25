"""The Proper Officer's workflow: authorisations, official posts, incidents, sanctions, policy versions.

Services over the records database that the web app (and the CLI) drive; they know nothing of HTTP.
"""
