"""Detectors: generic, pure functions of (message context, params) that yield hits."""

from councilguard.detectors.base import Context, Hit
from councilguard.detectors.registry import DetectorSpec, all_detectors, detector, get

__all__ = ["Context", "DetectorSpec", "Hit", "all_detectors", "detector", "get"]
