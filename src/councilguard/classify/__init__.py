"""Trained text classifiers that ship inside the package and run without torch.

Between the detectors and ``councilguard.text`` in the layers: detectors may import this package;
it imports none of detectors, engine or cli. Models load on first use and are cached per process.
"""

from councilguard.classify.offensive import OffensiveModel, default_model, offensive_probability

__all__ = ["OffensiveModel", "default_model", "offensive_probability"]
