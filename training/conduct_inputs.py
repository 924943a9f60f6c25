#!/usr/bin/env python3
"""Write what the conduct model reads for every council training row, as the checker builds it.

Run with the package's own venv (it needs councilguard, not torch):

    .venv/bin/python training/conduct_inputs.py            # -> training/build-conduct/inputs.jsonl
    .venv/bin/python training/conduct_inputs.py --extra    # dev and trial rows -> extra-inputs.jsonl

Each line is ``{"id", "text", "parent"}``: the message text with target roles tagged by
``councilguard.detectors.judge_input.model_text`` (the function the checker calls at run time) and the
post replied to. ``train_conduct.py`` (torch venv) reads this file instead of the raw text, so the
training inputs and the run-time inputs come from one piece of code. Only data/council/train*.jsonl is
read (and, with ``--extra``, the dev and trial files, for teacher_conduct.py); the test split never is.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from councilguard.detectors.base import Context
from councilguard.detectors.judge_input import INPUT_VERSION, model_text
from councilguard.engine import coerce_message
from councilguard.policy import Pack

ROOT = Path(__file__).resolve().parents[1]
COUNCIL = ROOT / "data" / "council"
OUT = ROOT / "training" / "build-conduct" / "inputs.jsonl"
EXTRA = OUT.with_name("extra-inputs.jsonl")
EXTRA_FILES = ("dev-f", "dev-g", "trial-f", "trial-g")
LABEL_KEYS = {"expect", "allow", "expect_advice", "verdict_min", "func", "source", "why", "characteristic"}


def tagged(path: Path, pack: Pack):
    """(row, its model input, the post it replies to) for each line of ``path``; exits naming a bad line."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        try:
            msg = coerce_message({k: v for k, v in row.items() if k not in LABEL_KEYS})
        except Exception as exc:  # a bad line is the data's fault: say where
            sys.exit(f"{path.name}:{number}: {exc}")
        yield row, model_text(Context(msg, pack)), msg.in_reply_to.text if msg.in_reply_to else None


def main() -> None:
    pack = Pack.resolve("croxley-green")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    if "--extra" in sys.argv[1:]:  # the dev and trial rows, labels kept, for teacher_conduct.py compare
        n = 0
        with EXTRA.open("w", encoding="utf-8") as out:
            for name in EXTRA_FILES:
                for row, text, parent in tagged(COUNCIL / f"{name}.jsonl", pack):
                    out.write(json.dumps({"id": row["id"], "file": name, "text": text, "parent": parent,
                                          "expect": row.get("expect", []), "allow": row.get("allow", [])},
                                         ensure_ascii=False) + "\n")
                    n += 1
        print(f"wrote {n} inputs to {EXTRA}")
        return
    n = 0
    with OUT.open("w", encoding="utf-8") as out:
        out.write(json.dumps({"input_version": INPUT_VERSION}) + "\n")
        for path in sorted(COUNCIL.glob("train*.jsonl")):
            for row, text, parent in tagged(path, pack):
                out.write(json.dumps({"id": row["id"], "text": text, "parent": parent}, ensure_ascii=False) + "\n")
                n += 1
    print(f"wrote {n} inputs to {OUT}")


if __name__ == "__main__":
    main()
