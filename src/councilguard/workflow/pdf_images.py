"""Screenshots drawn onto pages of a text PDF, so a referral pack shows the evidence, not only its hash.

WHY: the records' ``TextPdf`` writes text only, and a Monitoring Officer needs to see the post as it was
published. Pillow (already a dependency) turns an image into a one-page PDF, and pypdf (already one too)
places that page, scaled to fit, onto a page the text writer left for it under its caption. The text
writer's own page numbers stay right, because the appendix pages are its pages.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError
from pypdf import PageObject, PdfReader, PdfWriter, Transformation

from councilguard.records.pdf_text import MARGIN, PAGE_H, PAGE_W

BOX_TOP = PAGE_H - MARGIN - 140  # room above for the appendix caption (heading and a few lines)
BOX_BOTTOM = MARGIN
MAX_PIXELS = 40_000_000  # a tall phone screenshot is ~3 million; more is not a screenshot, and slow to draw
MAX_ZOOM = 2.0  # a tiny crop may be enlarged this much, no more, so it stays legible without pixel mush


@dataclass(frozen=True)
class Placement:
    page: int  # 0-based index of the page left for the image
    picture: PageObject  # from ``image_page``


def image_page(data: bytes) -> PageObject | None:
    """A one-page PDF of the image, one point per pixel; None if the bytes cannot be drawn."""
    try:
        with Image.open(io.BytesIO(data)) as im:
            if im.width * im.height > MAX_PIXELS:
                return None
            im.seek(0)  # the first frame of an animation
            picture = im.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    flat = Image.new("RGB", picture.size, "white")
    flat.paste(picture, mask=picture.getchannel("A"))
    out = io.BytesIO()
    flat.save(out, "PDF", resolution=72.0, quality=90)
    return PdfReader(io.BytesIO(out.getvalue())).pages[0]


def place_images(pdf: bytes, placements: list[Placement], *, title: str) -> bytes:
    """``pdf`` with each picture drawn on its page, scaled to fit below the caption."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf)))
    for placement in placements:
        picture = placement.picture
        width, height = float(picture.mediabox.width), float(picture.mediabox.height)
        box_w, box_h = PAGE_W - 2 * MARGIN, BOX_TOP - BOX_BOTTOM
        zoom = min(box_w / width, box_h / height, MAX_ZOOM)
        x = MARGIN + (box_w - width * zoom) / 2
        y = BOX_TOP - height * zoom
        writer.pages[placement.page].merge_transformed_page(picture, Transformation().scale(zoom).translate(x, y))
    writer.add_metadata({"/Title": title, "/Producer": "councilguard"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
