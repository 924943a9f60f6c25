"""The shipped offensive-language model: it loads without torch, scores the obvious cases the right way
round, batches without changing answers, survives empty and very long texts, and is the file its card
describes (checksum), so a half-copied or stale model fails here rather than in a check.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest

from councilguard.classify import OffensiveModel, default_model, offensive_probability
from councilguard.classify.offensive import CARD_NAME, MODELS_DIR, prepare


@pytest.fixture(scope="module")
def model() -> OffensiveModel:
    return default_model()


OFFENSIVE = [
    "you are a fucking idiot",
    "Shut up you stupid bitch",
    "What a pathetic piece of shit you are",
    "He is a lying scumbag and a moron",
]
INOFFENSIVE = [
    "Lovely turnout at the fun day on the green, thank you to all the volunteers!",
    "The parish council meets on Tuesday at 7pm in the village hall.",
    "Reminder: the recycling collection moves to Thursday next week.",
    "Congratulations to the school choir on a wonderful concert.",
]


@pytest.mark.parametrize("text", OFFENSIVE)
def test_obvious_abuse_scores_high(model: OffensiveModel, text: str) -> None:
    assert model.score([text])[0] >= max(0.8, model.threshold)


@pytest.mark.parametrize("text", INOFFENSIVE)
def test_ordinary_council_news_scores_low(model: OffensiveModel, text: str) -> None:
    assert model.score([text])[0] < min(0.2, model.threshold)


def test_batch_equals_single(model: OffensiveModel) -> None:
    texts = OFFENSIVE + INOFFENSIVE + ["", "ok"]
    singles = [model.score([t])[0] for t in texts]
    assert model.score(texts) == singles
    assert model.score(texts[::-1]) == singles[::-1]


def test_bulk_batches_stay_close_to_single(model: OffensiveModel) -> None:
    texts = OFFENSIVE + INOFFENSIVE + ["", "ok"]
    singles = model.score(texts)
    bulk = OffensiveModel(batch_size=4).score(texts)
    assert bulk == pytest.approx(singles, abs=0.03)
    assert [p >= model.threshold for p in bulk] == [p >= model.threshold for p in singles]


def test_empty_inputs(model: OffensiveModel) -> None:
    assert model.score([]) == []
    (p,) = model.score([""])
    assert 0.0 <= p <= 1.0


def test_very_long_text_is_cut_not_refused(model: OffensiveModel) -> None:
    long = "The council agreed the budget for the new play area. " * 2000
    (p,) = model.score([long])
    assert 0.0 <= p < model.threshold
    # Only the first max_tokens word pieces count: what comes after cannot change the score.
    assert model.score([long + " You are a fucking idiot."])[0] == p
    assert model.max_tokens == 128


def test_convenience_function_matches_model(model: OffensiveModel) -> None:
    assert offensive_probability(OFFENSIVE[0]) == pytest.approx(model.score([OFFENSIVE[0]])[0])


def test_a_string_is_not_a_list(model: OffensiveModel) -> None:
    with pytest.raises(TypeError):
        model.score("you idiot")  # type: ignore[arg-type]


def test_loads_lazily_and_once() -> None:
    fresh = OffensiveModel()
    assert fresh._session is None
    fresh.score(["hello"])
    session = fresh._session
    fresh.score(["hello again"])
    assert fresh._session is session
    assert default_model() is default_model()


def test_one_intra_op_thread_by_default() -> None:
    fresh = OffensiveModel()
    fresh.score(["hello"])
    assert fresh._session.get_session_options().intra_op_num_threads == 1


def test_runtime_does_not_import_torch() -> None:
    code = ("import sys; from councilguard.classify import offensive_probability; "
            "offensive_probability('hello'); print('torch' in sys.modules, 'transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("raw, prepared", [
    ("@user @user @user you idiot", "@user you idiot"),
    ("see https://example.org/x?y=1 now", "see http now"),
    ("well done \N{THUMBS UP SIGN}", "well done thumbs up"),
    ("  spaced\n\tout  ", "spaced out"),
])
def test_prepare(raw: str, prepared: str) -> None:
    assert prepare(raw) == prepared


def test_card_checksums_match_shipped_files() -> None:
    card = json.loads((MODELS_DIR / CARD_NAME).read_text(encoding="utf-8"))
    for name in (card["model"], card["tokenizer"]):
        digest = hashlib.sha256((MODELS_DIR / name).read_bytes()).hexdigest()
        assert digest == card["sha256"][name], f"{name} does not match {CARD_NAME}"


def test_card_says_what_the_model_is() -> None:
    card = json.loads((MODELS_DIR / CARD_NAME).read_text(encoding="utf-8"))
    assert 0.0 < card["threshold"] < 1.0
    assert card["max_tokens"] == 128
    assert set(card["labels"]) == {"0", "1"} and "offensive" in card["labels"]["1"]
    for source in ("base model weights", "OLID", "HatEval 2019"):
        assert card["licences"][source]
    total = sum(p.stat().st_size for p in MODELS_DIR.glob("offensive*"))
    assert total < 40 * 1024 * 1024
