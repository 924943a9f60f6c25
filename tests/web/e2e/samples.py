"""Drafts whose findings the journeys rely on (checked against the bundled croxley-green pack).

``DRAFT`` warns twice (untrue-statement, abuse-councillor), both offering "Remove this sentence";
removing ``INSULT`` leaves a draft with nothing found.
"""

INSULT = "The chairman is a liar and a crook."
DRAFT = f"Come to the meeting on Tuesday about the play area. {INSULT}"
