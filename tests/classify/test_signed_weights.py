"""Signed weights on CPUs with VNNI: the same logits, faster (see classify/signed_weights.py)."""

from __future__ import annotations

import onnx
import pytest

from councilguard.classify import signed_weights
from councilguard.classify.conduct import ConductModel
from councilguard.classify.offensive import MODELS_DIR

TEXTS = ["Cllr Lowe is an idiot and should resign.", "Thanks to everyone who came to the litter pick on Sunday.",
         "The Clerk [staff] fiddles the petty cash, everyone knows it.", "The parish council [council] meets on Tuesday."]


def test_every_unsigned_weight_of_an_integer_product_becomes_signed():
    signed = onnx.load_from_string(signed_weights.signed_model(MODELS_DIR / "conduct.onnx"))
    types = {t.name: t.data_type for t in signed.graph.initializer}
    weights = [n.input[1] for n in signed.graph.node if n.op_type in ("MatMulInteger", "DynamicQuantizeMatMul")]
    assert weights and all(types[w] == onnx.TensorProto.INT8 for w in weights)


def test_the_environment_can_keep_the_shipped_weights(monkeypatch):
    monkeypatch.setenv(signed_weights.OFF, "1")
    assert not signed_weights.wanted()


@pytest.mark.skipif(not signed_weights.cpu_has_vnni(),
                    reason="without VNNI onnxruntime's signed kernel saturates, so signed weights are never used")
def test_signed_weights_give_the_same_logits_bit_for_bit(monkeypatch):
    monkeypatch.delenv(signed_weights.OFF, raising=False)
    assert signed_weights.wanted()
    signed = ConductModel().logits(TEXTS)
    monkeypatch.setenv(signed_weights.OFF, "1")
    unsigned = ConductModel().logits(TEXTS)
    assert signed == unsigned


def test_the_signed_copy_is_made_once_and_read_from_the_cache(monkeypatch, tmp_path):
    monkeypatch.setattr(signed_weights, "wanted", lambda: True)
    monkeypatch.setenv("COUNCILGUARD_CACHE", str(tmp_path))
    (tmp_path / "conduct-signed-0000.onnx").write_bytes(b"an earlier model's copy")
    first = signed_weights.model_to_load(MODELS_DIR / "conduct.onnx")
    assert isinstance(first, bytes) and [p.suffix for p in tmp_path.iterdir()] == [".onnx"]
    assert not (tmp_path / "conduct-signed-0000.onnx").exists()
    monkeypatch.setattr(signed_weights, "signed_model", lambda path: pytest.fail("converted again"))
    again = signed_weights.model_to_load(MODELS_DIR / "conduct.onnx")
    assert again == str(next(tmp_path.iterdir())) and open(again, "rb").read() == first


def test_a_cache_that_cannot_be_written_costs_time_not_the_model(monkeypatch, tmp_path):
    monkeypatch.setattr(signed_weights, "wanted", lambda: True)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("COUNCILGUARD_CACHE", str(blocker))
    assert isinstance(signed_weights.model_to_load(MODELS_DIR / "conduct.onnx"), bytes)


def test_without_vnni_the_shipped_file_is_loaded(monkeypatch):
    monkeypatch.setattr(signed_weights, "wanted", lambda: False)
    assert signed_weights.model_to_load(MODELS_DIR / "conduct.onnx") == str(MODELS_DIR / "conduct.onnx")
