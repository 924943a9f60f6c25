"""The council's logo in an attached picture, on a personal page (P8-General-3).

A pack names its logo (``council.logo``). An attached picture is compared with it by two searches:

* a global perceptual hash (pHash) of the whole picture, which proposes "the picture *is* the logo",
  however resized, stretched, recoloured or inverted;
* a multi-scale sliding-window search (normalised cross-correlation through the FFT, over an image
  pyramid) for the logo's centre, which survives a cropped margin (up to 15% a side) and finds the logo
  inside a larger picture such as a 1500x500 banner.

Every candidate is then verified at a finer scale: grey-level correlation (insensitive to greyscale,
tint and inversion) averaged with the correlation of edge strength (which tells our shield, coins and
lettering from another shield). That average is the reported similarity. The logo's templates and hashes
are built once per process, per logo file and modification time.

Measured on generated pictures (tests/detectors/test_logo.py::test_rates_and_time): 40 of 40 transformed
logos found, 0 of 40 other pictures (scenes, text, badges, another council's chevron shield) matched, about
15 ms for a 1500x500 banner on one core. Not found: a logo under a fifth of the shorter side (a setting),
turned by more than a few degrees, or cut out of its white background and laid over a photo.

Only personal pages count: the council's official account, staff writing for the council and council
e-mail (a logo in a staff signature) are not flagged. An attachment with no file whose description names
the council's logo or crest gives a weaker hit, judged from the description.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from councilguard.detectors.attachments import OpenedAttachment, opened_attachments
from councilguard.detectors.base import Context, Hit
from councilguard.detectors.registry import detector
from councilguard.text.caseless import caseless

ID = "logo.council-logo"


class LogoParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    threshold: float = Field(default=0.75, ge=0.5, le=1.0,
                             description="similarity (0-1) at which a picture is taken to show the logo")
    min_logo_fraction: float = Field(default=0.2, ge=0.1, le=1.0,
                                     description="smallest logo searched for, as a fraction of the "
                                                 "picture's shorter side")
    description_score: float = Field(default=0.6, ge=0.0, le=1.0,
                                     description="score of a hit judged only from an attachment's description")


@detector(ID, params=LogoParams)
def council_logo(ctx: Context, params: LogoParams) -> Iterator[Hit]:
    """An attached picture shows the council's logo, on a personal page or profile."""
    if not ctx.message.attachments or not _personal_page(ctx):
        return
    model = _logo_model(ctx)
    for opened in opened_attachments(ctx):
        if opened.status == "image" and model is not None:
            match = model.find(opened.image, params.min_logo_fraction)
            if match is not None and match.similarity >= params.threshold:
                yield _image_hit(opened, match, params.threshold)
            continue
        if opened.status == "not-image":
            ctx.note(f"attachment {opened.name} was not checked for the council logo: {opened.problem}")
            continue
        if opened.status == "unreadable":
            ctx.note(f"attachment {opened.name} was not read: {opened.problem}")
        hit = _described_hit(ctx, opened, params.description_score)
        if hit is not None:
            yield hit


# --- where the rule applies ---------------------------------------------------------------------------


def _personal_page(ctx: Context) -> bool:
    """False for the council's own voice: its official account, staff writing for it, council e-mail."""
    m = ctx.message
    if m.account == "official":
        return False
    if ctx.author_role in ("proper-officer", "staff") and m.capacity == "council":
        return False
    if m.is_email and ctx.council.is_council_address(m.from_ or m.author.email):
        return False
    return True


# --- hits -----------------------------------------------------------------------------------------------


def _image_hit(opened: OpenedAttachment, match, threshold: float) -> Hit:
    score = 0.8 + 0.2 * (match.similarity - threshold) / max(1e-6, 1.0 - threshold)
    return Hit(
        spans=(),
        why=f"The attached picture {opened.name} shows the council's logo ({match.where}; similarity "
            f"{match.similarity:.2f}).",
        score=round(min(1.0, score), 3),
        data={"detector": ID, "attachment": opened.name, "similarity": round(match.similarity, 3),
              "box": match.box},
    )


_LOGO_WORDS = r"(?:logo|crest|emblem|coat of arms|insignia)"
_NEGATED = caseless(r"\b(?:no|not|without|minus|removed|cropped out|blurred)\b")


def _described_hit(ctx: Context, opened: OpenedAttachment, score: float) -> Hit | None:
    a = opened.attachment
    said = " ".join(s for s in (a.description, a.filename and re.sub(r"[-_.]+", " ", a.filename)) if s)
    found = _description_pattern(ctx.council.name, ctx.council.short_names).search(said)
    if not found:
        return None
    before = said[max(0, found.start() - 25): found.start()]
    after = said[found.end(): found.end() + 15]
    if _NEGATED.search(before) or re.match(r"\s*(?:removed|cropped out|blurred)", after, re.I):
        return None
    source = "no file was given" if opened.status == "no-file" else "the file could not be read"
    return Hit(
        spans=(),
        why=f"The attachment {opened.name} is described as showing the council's "
            f"{found.group('logo') or found.group('logo_of')} (\"{found.group(0)}\"); judged from the "
            f"description, as {source}.",
        score=score,
        data={"detector": ID, "attachment": opened.name, "similarity": None, "from": "description"},
    )


@lru_cache(maxsize=8)
def _description_pattern(name: str, short_names: tuple[str, ...]) -> re.Pattern[str]:
    """'parish council logo', "the council's crest", 'CGPC logo', 'logo of Croxley Green Parish Council'."""
    place = re.sub(r"\s+(?:parish|town|city|community|district|county)?\s*council$", "", name, flags=re.I)
    owners = {"council", "parish council", "parish", name, place, *short_names}
    owner = "|".join(re.escape(o.lower().removeprefix("the ")) for o in sorted(owners, key=len, reverse=True)
                     if o.strip())
    return caseless(
        rf"\b(?:{owner})(?:['\u2019]s)?\s+(?:official\s+)?(?P<logo>{_LOGO_WORDS})\b"
        rf"|\b(?P<logo_of>{_LOGO_WORDS})\s+of\s+(?:the\s+)?(?:{owner})\b")


# --- the logo model -------------------------------------------------------------------------------------


def _logo_model(ctx: Context):
    path = ctx.pack.logo_path
    if path is None:
        ctx.note("attached pictures were not compared with the council logo: the pack names no logo file")
        return None
    try:
        from councilguard.detectors.logo_match import load_model  # numpy, scipy, imagehash: only when needed

        return load_model(str(path), path.stat().st_mtime_ns)
    except (OSError, ValueError) as exc:
        ctx.note(f"attached pictures were not compared with the council logo: {path.name} could not be read "
                 f"({exc})")
        return None
