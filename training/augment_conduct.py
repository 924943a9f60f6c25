#!/usr/bin/env python3
"""New inputs for distillation: the teacher labels them, the student learns its judgement on them.

A teacher trained for four epochs gives its own training rows probabilities close to their labels, so
distilling on those rows alone teaches the student almost nothing it did not have. What the student lacks
is the teacher's judgement on text it has not seen: so this writes inputs neither model was trained on,
made from the training rows the build fits on (never the hold-out, the dev lines or the test split):

- ``sent``: each sentence of a longer row on its own, because the checker reads a long message in chunks
  and the breach usually lives in one sentence of it;
- ``mix``: a breaching row next to a civil one (either order), because a breach inside ordinary news must
  still be found. These keep the breaching row's labels (``expect`` is learnt as 1 whatever the teacher
  says, ``allow`` is masked): the teacher itself gives under 0.5 to four in five of them, diluted by the
  civil text, and that is a fault to unlearn, not a judgement to copy;
- ``trial``: the hand-written trial rows (``trial-f``/``trial-g``), which no build reads, by their text only;
- ``olid`` (``--olid N``): OLID training tweets with the first @USER replaced by a role-tagged target
  ("Cllr Hughes [councillor]", "the Clerk [staff]"…), for the variety of insult, anger and banter that
  hand-written council rows lack.

    .venv-train/bin/python training/augment_conduct.py            # -> build-conduct/augment-inputs.jsonl
    .venv-train/bin/python training/teacher_conduct.py label      # -> build-conduct/augment-probs.jsonl
    .venv-train/bin/python training/train_conduct.py build --teacher build-conduct/teacher-probs.jsonl \\
        --augment build-conduct/augment-probs.jsonl

Deterministic: the same inputs and seed give the same file.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

import numpy as np

import train_conduct as tc
import train_offensive as base

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(A-Z0-9@#])")
MIN_WORDS = 4  # the checker does not judge shorter passages (detectors/judge.py MIN_WORDS)
TRIAL_FILES = ("trial-f", "trial-g")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def fit_rows() -> list[dict]:
    """The council rows the student fits on: the same seeded split as train_conduct.py and the teacher."""
    council, _ = tc.council_rows()
    c_fit, _ = tc.council_split(tc.council_targets(council)[0])
    return [council[int(i)] for i in sorted(c_fit)]


def split_rows(rows: list[dict]) -> list[dict]:
    out = []
    for r in rows:
        parts = sentences(r["text"])
        if len(parts) < 2:
            continue
        for k, s in enumerate(parts):
            if len(s.split()) >= MIN_WORDS:
                out.append({"id": f"{r['id']}~s{k}", "text": s, "parent": (r.get("in_reply_to") or {}).get("text")})
    return out


def mixed_rows(rows: list[dict], n: int, rng: random.Random) -> list[dict]:
    breaching = [r for r in rows if r.get("expect") and not r.get("in_reply_to")]
    civil = [r for r in rows if not r.get("expect") and not r.get("allow") and not r.get("in_reply_to")
             and len(r["text"]) < 300]
    out = []
    for k in range(min(n, len(breaching))):
        b, c = breaching[k], rng.choice(civil)
        text = f"{c['text']} {b['text']}" if rng.random() < 0.5 else f"{b['text']} {c['text']}"
        out.append({"id": f"{b['id']}~m{c['id']}", "text": text, "parent": None,
                    "expect": b["expect"], "allow": b.get("allow", [])})
    return out


TARGETS = ("Cllr Hughes [councillor]", "Councillor Okafor [councillor]", "Cllr Wright [councillor]",
           "the Clerk [staff]", "Helen Marsh [staff]", "the groundsman [staff]", "Gary [staff]",
           "Mrs Dunn [public]", "the residents [public]", "Tom Fisher [public]",
           "the parish council [council]", "CGPC [council]", "Three Rivers [other-authority]")
USER = re.compile(r"@user(?:\s+@user)*", re.IGNORECASE)


def olid_rows(n: int, rng: random.Random) -> list[dict]:
    texts, labels = base.read_olid("train")
    _, hold = base.split_holdout(labels, tc.OLID_HOLDOUT, tc.SEED)  # the student's OLID hold-out stays unseen
    held = {int(i) for i in hold}
    picked = sorted(rng.sample([i for i, t in enumerate(texts) if USER.search(t) and i not in held], n))
    return [{"id": f"olid-{i}", "text": USER.sub(rng.choice(TARGETS), texts[i], count=1), "parent": None} for i in picked]


def trial_rows() -> list[dict]:
    path = tc.WORK / "extra-inputs.jsonl"
    if not path.exists():
        raise SystemExit(f"{path} is missing: run `.venv/bin/python training/conduct_inputs.py --extra` first")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [{"id": r["id"], "text": r["text"], "parent": r.get("parent")} for r in rows if r["file"] in TRIAL_FILES]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mixes", type=int, default=1500, help="how many breaching rows to set beside a civil one")
    ap.add_argument("--olid", type=int, default=0, help="how many OLID tweets to give a council target")
    ap.add_argument("--kinds", default="sent,mix,trial,olid", help="which kinds to write (comma-separated)")
    ap.add_argument("--out", default=str(tc.WORK / "augment-inputs.jsonl"))
    args = ap.parse_args(argv)
    rng = random.Random(tc.SEED)
    rows = fit_rows()
    shuffled = list(rows)
    rng.shuffle(shuffled)
    made = {"sent": split_rows(rows), "mix": mixed_rows(shuffled, args.mixes, rng),
            "trial": trial_rows(), "olid": olid_rows(args.olid, rng) if args.olid else []}
    made = {k: v for k, v in made.items() if k in args.kinds.split(",")}
    path = Path(args.out)
    with path.open("w", encoding="utf-8") as out:
        for kind, items in made.items():
            for item in items:
                out.write(json.dumps({**item, "kind": kind}, ensure_ascii=False) + "\n")
    counts = {k: len(v) for k, v in made.items()}
    print(f"wrote {sum(counts.values())} inputs to {path} ({counts}) from {len(rows)} fit rows; "
          f"words per input p50 {int(np.median([len(i['text'].split()) for v in made.values() for i in v]))}")


if __name__ == "__main__":
    main()
