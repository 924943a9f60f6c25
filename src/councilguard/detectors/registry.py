"""The detector registry: ids to functions, with typed parameter models.

Families are imported only when a pack uses one of their detectors, so start-up stays fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from councilguard.detectors.base import Context, Hit


class NoParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


DetectFn = Callable[[Context, BaseModel], Iterable[Hit]]


@dataclass(frozen=True)
class DetectorSpec:
    id: str
    fn: DetectFn
    params: type[BaseModel]
    on_received: bool  # runs on e-mail the author received (most detectors judge what the author wrote)
    summary: str


_REGISTRY: dict[str, DetectorSpec] = {}

# family -> module; a family's module registers its detectors when imported.
FAMILIES = {
    "pii": "councilguard.detectors.pii",
    "conduct": "councilguard.detectors.conduct",
    "defamation": "councilguard.detectors.defamation",
    "discrimination": "councilguard.detectors.discrimination",
    "confidential": "councilguard.detectors.confidential",
    "representation": "councilguard.detectors.representation",
    "email": "councilguard.detectors.email_accounts",
    "accounts": "councilguard.detectors.accounts",
    "purchase": "councilguard.detectors.purchase",
    "copyright": "councilguard.detectors.copyright",
    "logo": "councilguard.detectors.logo",
    "replies": "councilguard.detectors.replies",
    "stance": "councilguard.detectors.stance",
    "judge": "councilguard.detectors.judge",
}


def detector(id: str, *, params: type[BaseModel] = NoParams, on_received: bool = False):
    """Register a detector function under ``id`` (``family.name``)."""

    def register(fn: DetectFn) -> DetectFn:
        if id in _REGISTRY and _REGISTRY[id].fn is not fn:
            raise RuntimeError(f"detector {id!r} registered twice")
        summary = (fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else ""
        _REGISTRY[id] = DetectorSpec(id, fn, params, on_received, summary)
        return fn

    return register


def get(id: str) -> DetectorSpec:
    if id not in _REGISTRY:
        family = id.split(".", 1)[0]
        module = FAMILIES.get(family)
        if module is None:
            raise KeyError(f"no detector family {family!r}; families are: {', '.join(sorted(FAMILIES))}")
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise KeyError(f"detector family {family!r} could not be loaded: {exc}") from None
    if id not in _REGISTRY:
        known = sorted(k for k in _REGISTRY if k.startswith(id.split(".", 1)[0] + "."))
        raise KeyError(f"no detector {id!r}; that family has: {', '.join(known)}")
    return _REGISTRY[id]


def all_detectors() -> list[DetectorSpec]:
    for module in FAMILIES.values():
        importlib.import_module(module)
    return sorted(_REGISTRY.values(), key=lambda s: s.id)
