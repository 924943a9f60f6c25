"""``Checker.warm_up`` leaves nothing for the first real message to load.

Servers call it at start-up. The personal-data analyzer is no longer warmed when it is built (a
one-off ``councilguard check`` should pay only for what its message needs), so the warm-up message
itself must reach every recogniser: each compiles its patterns and the e-mail one reads its suffix list.
"""

from __future__ import annotations

from councilguard import Checker


def test_warm_up_compiles_every_personal_data_recogniser() -> None:
    Checker.from_pack("croxley-green").warm_up()
    from councilguard.detectors.pii_presidio import pattern_analyzer

    recognisers = pattern_analyzer().registry.recognizers
    assert recognisers
    cold = [type(r).__name__ for r in recognisers if any(p.compiled_regex is None for p in r.patterns)]
    assert cold == []


def test_warm_up_loads_the_conduct_model_and_the_screen() -> None:
    Checker.from_pack("croxley-green").warm_up()
    from councilguard.classify.conduct import default_conduct_model
    from councilguard.classify.screen import default_screen

    assert default_conduct_model()._session is not None
    assert default_screen()._weights is not None
