"""Judging conduct with the trained model: who is targeted, how, and whose words, learnt from examples.

The lexical conduct detectors are precise but only know the words they list; sarcasm, mockery,
insinuation and novel insults need a model. ``judge.conduct`` runs the shipped conduct model
(classify/conduct.py) once per message over the author's text, in chunks of a few sentences, with
the post being replied to as context, and reports a rule when its head's probability reaches the
threshold tuned on the development lines. The pack chooses the head for each rule (``label``).

Gates before the model's word is taken, each because the model was seen to err there: a rule about a
target needs the passage to name one; a passage whose hurtful words are all someone else's (quoted,
reported to condemn) is not the author's abuse, nor is one that names a charge only to rebut it
("Nobody should say the council is corrupt: …"); a passage of under ``SHORT_WORDS`` words needs a
hurtful word for the abuse-like rules; and ``plain_threshold`` lowers a threshold only for passages
that state no sensitive fact about anyone.

Evidence: the sentence of the best chunk that names a target (a person, the council), else the
chunk. When a message comes close to a rule without reaching it, a note says so, and says why such
criticism is protected: councillors may criticise decisions and policies robustly (Article 10).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from councilguard.detectors import discrimination, replies
from councilguard.detectors import targets as T
from councilguard.detectors.base import Context, Hit
from councilguard.detectors.conduct import about_another_body, banter, fiction, hurtful_words, negated, reported_to_condemn
from councilguard.detectors.defamation import insinuates, rests_on_record
from councilguard.detectors.frames import mentioned_not_used
from councilguard.detectors.judge_input import model_text
from councilguard.detectors.pii_facts import find_cues
from councilguard.detectors.registry import detector
from councilguard.text.caseless import caseless
from councilguard.text.council_words import LOCAL_COUNCIL
from councilguard.text.document import Span

CHUNK_CHARS = 480  # about 100 word pieces: inside the model's 128 with room for the replied-to post
MAX_CHUNKS = 40  # about 19,000 characters: a very long text is judged on its first chunks only, with a note
# Below this many words a passage is judged by the model for abuse-like rules only when it holds a hurtful word
# or a slur: the model reads "Met Cllr Lowe at the fete." as abuse (P 0.92). Measured on short-posts.jsonl
# (40 short friendly posts naming people): 19 false alarms without this, none with it; dev lines -0.006.
SHORT_WORDS = 12
MIN_WORDS = 4  # shorter passages give the model too little to go on (it imagined abuse in "See you there.")
HD, RTN = "harassment-discrimination", "responding-to-negative"
CLOSE = 0.7  # a probability this share of the threshold or more is "close" and earns a note


class JudgeParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    label: str = Field(description="the conduct model's head that serves this rule, e.g. abuse-councillor")
    threshold: float | None = Field(default=None, ge=0.0, le=1.0,
                                    description="probability at which to report; default: the model card's")
    floor: float = Field(default=0.9, ge=0.0, le=1.0,
                         description="never report below this probability, whatever the card's threshold: a checker "
                                     "that cries wolf is switched off (chosen on the rule cases and public examples)")
    plain_threshold: float | None = Field(
        default=None, ge=0.0, le=1.0,
        description="a lower probability at which to report a passage that states no sensitive fact about anyone "
                    "(health, a criminal record, a complaint, a child's details): the model reads a welfare message "
                    "(\"Mrs Jenkins has dementia and needs a visit\") as disrespect, and that binds ``threshold``; "
                    "passages with such a fact are left to the personal-data rule below it")
    insinuation_threshold: float | None = Field(
        default=None, ge=0.0, le=1.0,
        description="a lower probability at which to report a passage that insinuates (\"You do the maths\", \"I'm "
                    "just saying\", \"Funny old world\"): insinuation is how an allegation is made without stating it, "
                    "and the model is then less sure than the cue warrants")
    identity_threshold: float | None = Field(
        default=None, ge=0.0, le=1.0,
        description="a lower probability at which to report a passage that speaks of a protected characteristic "
                    "(discrimination.IDENTITY: \"married women\", \"the turban brigade\", \"baby brain\"): the "
                    "harassment-discrimination head also scores plain insults, which ``threshold`` is set against")
    needs_reply: bool = Field(default=False, description="only judge replies (the post replied to is needed)")
    not_handovers: bool = Field(
        default=False, description="not for a reply that only hands the remark to the Clerk (\"Noted, and passed to "
                                   "the office\"): the model reads any reply to a complaint as answering it back")
    outside_council_mail: bool = Field(
        default=False, description="not for e-mail kept within the council's own secure systems (the model reads "
                                   "the text, not who it goes to): e.g. confidential papers sent round to members")


@dataclass(frozen=True)
class _Judged:
    chunks: tuple[Span, ...]
    probs: tuple[dict[str, float], ...]


def _model():
    from councilguard.classify.conduct import default_conduct_model

    return default_conduct_model()


def _screen():
    from councilguard.classify.screen import default_screen

    return default_screen()


def chunks(ctx: Context) -> list[Span]:
    """Runs of whole sentences of at most CHUNK_CHARS (a longer sentence is a chunk of its own)."""
    out: list[Span] = []
    start = end = None
    for s in ctx.doc.sentences:
        if start is None:
            start, end = s.start, s.end
        elif s.end - start <= CHUNK_CHARS:
            end = s.end
        else:
            out.append(Span(start, end))
            start, end = s.start, s.end
    if start is not None:
        out.append(Span(start, end))
    return out


def judged(ctx: Context) -> _Judged | None:
    """Every chunk's probabilities, computed once per message (None when there is nothing to judge)."""
    def compute():
        spans = chunks(ctx)
        if not spans:
            return None
        if len(spans) > MAX_CHUNKS:
            ctx.note(f"the conduct model judged the first {MAX_CHUNKS} of {len(spans)} passages of this long text; "
                     f"the word-list detectors read all of it")
            spans = spans[:MAX_CHUNKS]
        parent = ctx.message.in_reply_to.text if ctx.message.in_reply_to else None
        if _model().card.get("input_version", 0) >= 1:  # trained on role-tagged text (judge_input.py)
            texts = [model_text(ctx, s.start, s.end) for s in spans]
        else:
            texts = [ctx.text[s.start:s.end] for s in spans]
        parents = [parent] * len(texts)
        screen = _screen()
        read = screen.passes(texts, parents) if screen.available else [True] * len(texts)
        # a passage with a hurtful word or slur is never ordinary text: the model reads it whatever the screen says
        read = [ok or _has_hurtful_word(ctx, span) for ok, span in zip(read, spans)]
        only = [() if ok else _heads_beyond_screen(ctx, span, parent) for ok, span in zip(read, spans)]
        civil = dict.fromkeys(_model().labels, 0.0)  # what the screen judged civil, the model need not read
        chosen = [i for i, ok in enumerate(read) if ok or only[i]]
        model_probs = iter(_model().probabilities([texts[i] for i in chosen], [parents[i] for i in chosen]))
        probs = [next(model_probs) if ok or heads else civil for ok, heads in zip(read, only)]
        probs = [{**civil, **{h: p[h] for h in heads}} if heads else p for p, heads in zip(probs, only)]
        return _Judged(tuple(spans), tuple(probs))
    return ctx.memo("judge.conduct", compute)


def _heads_beyond_screen(ctx: Context, span: Span, parent: str | None) -> tuple[str, ...]:
    """The heads the model reads a passage for although the screen judged it civil: harassment-discrimination when it
    speaks of who people are (IDENTITY), responding-to-negative when it is a reply (a civil answer is how that rule
    is breached)."""
    if discrimination.IDENTITY.search(ctx.text, span.start, span.end):
        return (HD,)
    return (RTN,) if parent is not None else ()


@detector("judge.conduct", params=JudgeParams)
def conduct(ctx: Context, params: JudgeParams):
    """The conduct model's verdict for one rule (its head), with the best chunk as evidence."""
    if not applies(ctx, params):
        return
    model = _model()
    if not model.available:
        ctx.note("the trained conduct model is not installed: conduct was judged by word lists only")
        return
    threshold = params.threshold if params.threshold is not None else max(model.threshold(params.label), params.floor)
    found = best(ctx, params.label)
    if found is None:
        return
    chunk, p = found
    if params.plain_threshold is not None and params.plain_threshold <= p < threshold \
            and not find_cues(ctx.text[chunk.start:chunk.end]):
        threshold = params.plain_threshold
    if params.insinuation_threshold is not None and params.insinuation_threshold <= p < threshold \
            and insinuates(ctx, chunk):
        threshold = params.insinuation_threshold
    if params.identity_threshold is not None and params.identity_threshold <= p < threshold \
            and discrimination.IDENTITY.search(ctx.text, chunk.start, chunk.end) \
            and not discrimination.SPEAKS_AS_ONE.search(ctx.text, chunk.start, chunk.end) \
            and not find_cues(ctx.text[chunk.start:chunk.end]):  # "Mrs Patterson has dementia…": personal data
        threshold = params.identity_threshold
    if p < threshold:
        if (p >= CLOSE * threshold and not ctx.cache.get("judge.reported")
                and not any(chunk.start <= a < chunk.end for a, _ in hurtful_words(ctx))):
            _close_note(ctx, params.label)  # the Article 10 reminder is for civil criticism, not insults
        return
    ctx.cache["judge.reported"] = True
    span = _evidence(ctx, chunk)
    score = 0.5 + 0.5 * (p - threshold) / max(1e-6, 1.0 - threshold)
    yield Hit(spans=((span.start, span.end),), score=round(min(1.0, score), 3),
              why=_why(ctx, params.label, span, p),
              fixes=(ctx.drop_sentence(span.start),) if span.end - span.start < 300 else (),
              data={"detector": "judge.conduct", "label": params.label, "probability": round(p, 3)})


def applies(ctx: Context, params: JudgeParams) -> bool:
    """Whether the pack wants this head's judgement of the message at all (``tune_judge.py`` asks too)."""
    if params.needs_reply and ctx.message.in_reply_to is None:
        return False
    if params.outside_council_mail and ctx.within_council_mail:
        return False
    return not (params.not_handovers and replies.handed_over(ctx))


def best(ctx: Context, label: str) -> tuple[Span, float] | None:
    """The passage most likely to breach ``label`` among those that could, with its probability.

    A passage could breach a rule about a target only if it names one (abuse-councillor needs a
    councillor other than the author, inflammatory-staff a member of staff…): the model reads tone
    well but sometimes imagines the target. And a passage whose hurtful words are all someone else's,
    quoted or reported to condemn them, is not the author's abuse. ``tune_judge.py`` calls this too.
    """
    result = judged(ctx)
    if result is None or label not in result.probs[0]:
        return None
    eligible = [i for i, chunk in enumerate(result.chunks) if _eligible(ctx, label, chunk)]
    if not eligible:
        return None
    i = max(eligible, key=lambda k: result.probs[k][label])
    return result.chunks[i], result.probs[i][label]


def _eligible(ctx: Context, label: str, chunk: Span) -> bool:
    words = len(ctx.text[chunk.start:chunk.end].split())
    if words < MIN_WORDS:
        return False  # "See you there.": too little for the model to judge; the word lists still read it
    if words < SHORT_WORDS and label in ABUSE_LIKE and not _has_hurtful_word(ctx, chunk):
        return False
    kinds = NEEDS_TARGET.get(label)
    if kinds is not None and not any(_targets(m, kinds) and chunk.start <= m.start < chunk.end for m in T.mentions(ctx)):
        return False
    if label not in REBUTTABLE:
        return True
    voice = _voice(ctx, chunk)
    if label in ABOUT_THE_COUNCIL and voice.proposes:
        return False
    if label == "undermines-confidence" and voice.states_position:
        return False  # the council's position, stated: claims-council-view judges whether the author may say it
    if label in BANTER_EXCUSES | ABOUT_THE_COUNCIL and fiction(ctx):
        return False  # a story's clerk or council, not this one
    if label in BANTER_EXCUSES and banter(ctx) and not any(chunk.start <= a < chunk.end for a, _, _ in discrimination.slurs(ctx)):
        return False  # a laugh and a warm word: friendly banter, which the model reads as abuse
    if label == "untrue-statement" and rests_on_record(ctx, chunk):
        return False  # "… and didn't vote. It's in the minutes.": a statement that names the record it rests on
    if label in ABOUT_THE_COUNCIL and about_another_body(ctx, chunk):
        return False  # "Watford Council's plan to build over the playing fields is wrong": another authority's
    if label in ABOUT_THE_COUNCIL | BANTER_EXCUSES and voice.praises:
        return False  # "Great work by the parish council on the Christmas lights this year!"
    if label in ABUSE_LIKE and voice.disagrees:
        return False  # "Cllr Hargreaves's plan for the car park is wrong: it will cost more than it raises."
    if label in ABUSE_LIKE and voice.apologises:
        return False  # "I'm sorry if I came across that way": the author making amends, not attacking
    return not (voice.rebuts or (label in ABUSE_LIKE and voice.only_others_words))


# The rules about a particular kind of target, and the mentions that can be it
NEEDS_TARGET = {"abuse-councillor": {T.COUNCILLOR}, "inflammatory-staff": {T.STAFF}, "derogatory-council": {T.COUNCIL},
                "disrespect-public": {T.PUBLIC}, "untrue-statement": {T.COUNCILLOR, T.STAFF, T.PUBLIC, T.COUNCIL}}


def _targets(m: T.Mention, kinds: set[str]) -> bool:
    """Whether a mention can be the target: "the new intake of councillors" are councillors too (found as the
    council, a body, for derogatory-council; abuse of them as a group is abuse of councillors)."""
    if m.kind in kinds:
        return True
    return T.COUNCILLOR in kinds and m.kind == T.COUNCIL and m.name.lower().rstrip().endswith(("councillors", "cllrs"))


def _evidence(ctx: Context, chunk: Span) -> Span:
    """The sentence of the chunk that names a target; else the chunk itself."""
    sentences = [s for s in ctx.doc.sentences if chunk.start <= s.start and s.end <= chunk.end]
    if len(sentences) <= 1:
        return chunk
    ms = [m for m in T.mentions(ctx) if m.kind != T.SELF and chunk.start <= m.start < chunk.end]
    for s in sentences:
        if any(s.start <= m.start < s.end for m in ms):
            return Span(s.start, s.end)
    return chunk


ABUSE_LIKE = {"abuse-councillor", "inflammatory-staff", "derogatory-council", "disrespect-public",
              "harassment-discrimination", "untrue-statement"}


# "The parish council's official position is that the footpath must stay open", "The parish council supports the
# bypass": the council's stance, stated. The model reads such plain statements as undermining the council (P 0.73-0.8);
# whether the author may speak for the council is claims-council-view's question, and a stance is not a misstatement.
_STATED_POSITION = caseless(
    rf"\b(?:the|our|this)\s+{LOCAL_COUNCIL}'?s\s+(?:official\s+|formal\s+)?(?:position|view|stance|policy)\s+"
    rf"(?:is|was|remains)\s+(?:that|to)\b|\b(?:the|our|this)\s+{LOCAL_COUNCIL}\s+(?:(?:will\s+be|is)\s+(?:supporting|"
    rf"opposing|objecting|backing)|(?:will|is\s+going\s+to)\s+(?:support|oppose|object\s+to|back)|(?:strongly\s+)?"
    rf"(?:supports|opposes|objects\s+to|backs|welcomes))\b")
# A passage that only announces what the council will do: "The parish council will close the car park on Sunday for
# resurfacing." (the model reads it as undermining confidence, P 0.62)
_ANNOUNCEMENT = caseless(
    rf"(?:the|our|this)\s+{LOCAL_COUNCIL}\s+will\s+(?:close|open|reopen|hold|host|run|resurface|repair|install|plant|"
    rf"collect|meet|publish|start|begin|light|switch\s+on|be\s+(?:closing|holding|running|meeting|installing|planting))\b"
    rf"[^.!?,;:]{{0,60}}[.!]?")  # short, and one clause: "…, again, because nobody there can plan" is not an announcement

# Rules a friendly tease can look like to the model (not harassment-discrimination: a joke is no excuse for prejudice)
BANTER_EXCUSES = ABUSE_LIKE - {"harassment-discrimination"}

# A plan, decision or policy called wrong, with the reason given after a colon or "because"
_DISAGREES = caseless(
    r"\b(?:plan|plans|decision|proposal|policy|idea|motion|budget|scheme|amendment|vote|approach)\s+(?:(?:for|on|to)\s+"
    r"[\w' -]{1,40}?\s+)?(?:is|was|are|were)\s+(?:simply\s+|just\s+|plain\s+)?(?:wrong|mistaken|misguided|flawed|a\s+mistake|"
    r"short-sighted|unaffordable|a\s+bad\s+idea|the\s+wrong\s+(?:call|answer|choice))\s*(?::|,?\s+because\b|\.\s+(?:It|They)\s+"
    r"(?:will|would|costs?|means?))")

# Thanks and praise, and the marks that turn praise into sarcasm ("Inspiring stuff, really", "Genius. Truly. 👏👏")
_PRAISE = caseless(r"\b(?:great|brilliant|fantastic|excellent|superb|wonderful|amazing)\s+(?:work|job|effort|news)\b|\bwell\s+done\b|"
                   r"\bbravo\b|\bout(?:did|done)\s+(?:yourself|himself|herself|themselves)\b|\bexactly\s+what\s+you\s+want\b|"
                   r"\b(?:thank\s+you|thanks)\s+(?:to|for)\b|\bhats\s+off\b|\bkudos\b|\bcongratulations\b|\bproud\s+of\b")
_SARCASM = caseless(r"🙄|👏|🐌|🤦|😒|🙃|\b(?:really|truly|finally|apparently|genius|masterpiece|inspiring|only\s+took|"
                    r"at\s+last|as\s+usual|again|not|never|shame|pity|but)\b|!!|\?\s*$")

# Rules about the council as a body: criticism of its decisions that proposes a remedy is not judged for them
ABOUT_THE_COUNCIL = {"derogatory-council", "undermines-confidence"}

# Rules whose breach a rebuttal names without committing: abuse and allegations, and undermining confidence
REBUTTABLE = ABUSE_LIKE | {"undermines-confidence"}


def _has_hurtful_word(ctx: Context, chunk: Span) -> bool:
    """An insult, a word of contempt or a slur in the chunk, whoever's words they are."""
    return any(chunk.start <= a < chunk.end for a, _ in hurtful_words(ctx)) or \
        any(chunk.start <= a < chunk.end for a, _, _ in discrimination.slurs(ctx))


@dataclass(frozen=True)
class _Voice:
    """Whose hurtful words a chunk holds, worked out once a chunk and shared by every rule's gate.

    ``only_others_words``: it has insults or slurs and all are quoted, reported, denied or fictional: the
    author reports abuse, not commits it ("a man called my neighbour's son a 'retard'; if you hear that,
    say something"). The model reads a whole passage and can mistake "someone shouted that I was a liar;
    that is not acceptable" for abuse; the word lists know exactly whose words each insult is.

    ``rebuts``: it denies a charge and says nothing hurtful in the author's own voice, so it defends the
    target. "Nobody should say the parish council is corrupt: every payment is in the published accounts"
    and "Nobody is 'too old' to be a councillor. Cllr Brookes is 79…" name the charge in order to rebut it;
    the model reads the charge (P 0.83 for undermines-confidence; a student scored the second 0.84 for
    abuse-councillor). A denial that also insults in the author's voice is judged as usual.

    ``proposes``: it proposes a remedy through the council ("…should run the consultation again"), which is
    disagreement, not disparagement (derogatory-council, undermines-confidence). ``states_position``: it
    states the council's stance (_STATED_POSITION; undermines-confidence). ``apologises``: the author
    apologises for their own conduct (the abuse-like rules). ``disagrees``: it calls a plan, decision or policy wrong
    and says why ("…'s plan for the car park is wrong: it will cost more than it raises"), which is the robust
    disagreement Article 10 protects, not abuse or an allegation. ``praises``: it thanks or praises, with no mark of
    sarcasm (an eye-roll, slow handclap, scare quotes, "really", "finally"…): not derogatory. Each holds only with no insult in the author's voice.
    """

    only_others_words: bool
    rebuts: bool
    proposes: bool
    states_position: bool
    apologises: bool
    disagrees: bool
    praises: bool


def _voice(ctx: Context, chunk: Span) -> _Voice:
    def compute():
        own = _own_hurtful_word(ctx, chunk)
        return _Voice(only_others_words=not own and _has_hurtful_word(ctx, chunk),
                      rebuts=not own and bool(ctx.doc.denials(chunk.start, chunk.end)),
                      proposes=not own and bool(ctx.doc.proposals(chunk.start, chunk.end)),
                      states_position=not own and bool(_STATED_POSITION.search(ctx.text, chunk.start, chunk.end)
                                                       or _ANNOUNCEMENT.fullmatch(ctx.text[chunk.start:chunk.end].strip())),
                      apologises=not own and bool(ctx.doc.apologies(chunk.start, chunk.end)),
                      disagrees=not own and bool(_DISAGREES.search(ctx.text, chunk.start, chunk.end)),
                      praises=not own and bool(_PRAISE.search(ctx.text, chunk.start, chunk.end))
                      and not _SARCASM.search(ctx.text, chunk.start, chunk.end) and not ctx.doc.quotes)
    return ctx.memo(f"judge.voice:{chunk.start}:{chunk.end}", compute)


def _own_hurtful_word(ctx: Context, chunk: Span) -> bool:
    """An insult or slur in the chunk that is the author's own: not quoted, reported, denied, negated or fictional."""
    if any(not excused for a, _, excused in discrimination.slurs(ctx) if chunk.start <= a < chunk.end):
        return True
    doc = ctx.doc
    for a, b in hurtful_words(ctx):
        if not chunk.start <= a < chunk.end:
            continue
        sent = doc.sentence_at(a)
        if not (doc.others_words(a, b) or doc.denied(a) or negated(ctx.text, a)
                or mentioned_not_used(ctx.text[sent.start:sent.end], a - sent.start)
                or reported_to_condemn(ctx, sent, a) or _SELF_DIRECTED.search(ctx.text, sent.start, a)):
            return True
    return False


# The author calling themselves names ("I'm the muppet here", "I'm an absolute idiot, left my glasses in the Guildhall")
_SELF_DIRECTED = caseless(r"\b(?:I'?m|I\s+am|I\s+was|I\s+feel\s+(?:like\s+)?|call\s+me)\s+(?:(?:such|a|an|the|total|absolute|"
                          r"complete|utter|proper|right|bit\s+of\s+a|massive|old)\s+)*$")


# Rules that differ only by whom they are about: name the person or body in the explanation
RULE_TARGET = {"abuse-councillor": T.COUNCILLOR, "inflammatory-staff": T.STAFF, "derogatory-council": T.COUNCIL,
               "disrespect-public": T.PUBLIC, "untrue-statement": None}
HOW = {"abuse-councillor": "reads as abuse or anger aimed at", "inflammatory-staff": "reads as an attack on",
       "derogatory-council": "is derogatory about", "disrespect-public": "is disrespectful to",
       "untrue-statement": "states an allegation of wrongdoing about"}


def _why(ctx: Context, label: str, span: Span, p: float) -> str:
    """Who the passage is about, when the roster knows, and how sure the model is."""
    sure = "very likely" if p >= 0.9 else "likely"
    if label in RULE_TARGET:
        kinds = {RULE_TARGET[label]} if RULE_TARGET[label] else {T.COUNCILLOR, T.STAFF, T.PUBLIC}
        who = [m for m in T.mentions(ctx) if m.kind in kinds and span.start <= m.start < span.end]
        if who:
            return (f"This passage {HOW[label]} {who[0].in_sentence} ({who[0].kind}): the conduct model judges it a {sure} "
                    f"breach (probability {p:.2f}).")
    return f"The conduct model, trained on council examples, judges this passage a {sure} breach (probability {p:.2f})."


def _close_note(ctx: Context, label: str) -> None:
    if ctx.cache.setdefault("judge.close-noted", False):
        return
    ctx.cache["judge.close-noted"] = True
    title = label.replace("-", " ")
    ctx.note(f"Close to {title}, but not reported: robust, civil criticism of decisions, policies and other "
             f"authorities is protected free expression (Article 10); keep it about the issue, not the person.")
