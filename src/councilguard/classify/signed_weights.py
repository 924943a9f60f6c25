"""The shipped int8 models with signed weights, for CPUs whose integer dot product takes them at full speed.

The models are quantized with unsigned 8-bit weights (uint8, per channel) because on a CPU without the
VNNI instructions onnxruntime multiplies unsigned activations by *signed* weights with an instruction
that saturates (VPMADDUBSW), and signed weights would change the results there: measured under
valgrind, which hides AVX-512, the conduct model's logits moved by up to 2.2. With VNNI (AVX512-VNNI or
AVX-VNNI) there is no saturation, and unsigned-by-signed products run on a faster kernel than
unsigned-by-unsigned: one conduct-model run over 72 word pieces takes ~10 ms instead of ~15 ms on one
core. So on such CPUs the weights are turned into signed ones as the model is loaded. The change is
exact: a weight byte ``q`` with zero point ``z`` becomes ``q - 128`` with zero point ``z - 128``, the
same ``q - z``; the logits are bit for bit the same (checked in tests/classify).

Converting needs the ``onnx`` package, whose import alone costs ~0.2 s, so the converted model is kept in
the user's cache folder (``COUNCILGUARD_CACHE``, else ``$XDG_CACHE_HOME/councilguard``, else
``~/.cache/councilguard``) under the shipped file's checksum, and later loads read it from there. If the
folder cannot be written, the conversion is done in memory at every load instead.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np

_VNNI_FLAGS = ("avx512_vnni", "avx_vnni")
_INTEGER_MATMULS = ("MatMulInteger", "DynamicQuantizeMatMul")
OFF = "COUNCILGUARD_UNSIGNED_WEIGHTS"  # set to 1 to load the weights as shipped, whatever the CPU
log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def cpu_has_vnni() -> bool:
    """Whether this CPU has an integer dot product without saturation (Linux: read from /proc/cpuinfo)."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return any(flag in flags for flag in _VNNI_FLAGS)
    except OSError:
        pass
    return False


def wanted() -> bool:
    return cpu_has_vnni() and os.environ.get(OFF, "") not in ("1", "true", "yes")


def cache_dir() -> Path:
    explicit = os.environ.get("COUNCILGUARD_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "councilguard"


def model_to_load(path: Path, sha256: str | None = None) -> str | bytes:
    """What to give onnxruntime for the model at ``path``: the file as shipped, or on a CPU with VNNI its signed
    copy (from the cache, made there on first use; in memory if the cache cannot be written)."""
    if not wanted():
        return str(path)
    digest = sha256 or hashlib.sha256(path.read_bytes()).hexdigest()
    cached = cache_dir() / f"{path.stem}-signed-{digest[:20]}.onnx"
    if cached.is_file():
        return str(cached)
    signed = signed_model(path)
    if signed is None:
        return str(path)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cached.parent, prefix=cached.name, suffix=".part", delete=False) as f:
            f.write(signed)
        os.replace(f.name, cached)  # whole or not at all: a load never reads half a file
        for older in cached.parent.glob(f"{path.stem}-signed-*.onnx"):  # copies of models no longer shipped
            if older != cached:
                older.unlink(missing_ok=True)
    except OSError as exc:
        log.info("could not keep the signed model in %s (%s); converting at each load", cached.parent, exc)
    return signed


def signed_model(path: Path) -> bytes | None:
    """The model at ``path`` with every unsigned weight of an integer matrix product made signed, serialised;
    None if it has none (nothing to gain)."""
    import onnx
    from onnx import TensorProto, numpy_helper

    model = onnx.load(str(path))
    initializers = {t.name: t for t in model.graph.initializer}
    changed = 0
    for node in model.graph.node:
        if node.op_type not in _INTEGER_MATMULS or len(node.input) < 4:
            continue
        # MatMulInteger(A, B, a_zero_point, b_zero_point); DynamicQuantizeMatMul(A, B, b_scale, b_zero_point, …)
        for name in (node.input[1], node.input[3]):
            tensor = initializers.get(name)
            if tensor is None or tensor.data_type != TensorProto.UINT8:
                continue
            values = numpy_helper.to_array(tensor)
            tensor.CopyFrom(numpy_helper.from_array((values.astype(np.int16) - 128).astype(np.int8), name))
            changed += 1
    return model.SerializeToString() if changed else None
