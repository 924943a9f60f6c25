"""Text handling below the detectors: normalisation with span mapping, sentences, quotations."""

from councilguard.text.document import Document, Span
from councilguard.text.lexicon import Lexicon, LexMatch
from councilguard.text.normalise import Normalised, normalise

__all__ = ["Document", "LexMatch", "Lexicon", "Normalised", "Span", "normalise"]
