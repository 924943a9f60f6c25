"""Finding and opening a message's attached files, once per message, for any detector that looks at them.

An attachment's ``path`` is relative to ``ctx.base_dir`` (the folder of the JSONL file it came from), or
absolute. A file that is missing, corrupt, too large or not a picture must never crash a check or make
the message invalid (check-contract: the report says which attachment was not read and why), so every
attachment comes back as an :class:`OpenedAttachment` holding either a loaded image or the reason there
is none. Opening is memoised per message, so detectors that share the pictures decode them once.
"""

from __future__ import annotations

import mimetypes
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - Pillow and numpy load only when a message has a picture
    from PIL import Image

from councilguard.detectors.base import Context
from councilguard.model import Attachment

MAX_FILE_BYTES = 50 * 1024 * 1024  # a phone photo is 3-12 MB; past this it is not a picture to post
MAX_PIXELS = 60_000_000  # more than a phone camera's frame; larger pictures are refused, not decoded
JPEG_DRAFT = 2048  # JPEGs are decoded at no less than this on the longer side: enough for any visual check
UNSUPPORTED = {"image/svg+xml": "SVG is a vector format, which cannot be read as a picture"}

Status = Literal["image", "no-file", "not-image", "unreadable"]


@dataclass(frozen=True)
class OpenedAttachment:
    """One attachment of the message: its image (RGB, upright, transparency on white) or why there is none.

    ``status`` is ``image`` (``image`` is set), ``no-file`` (the message gives no path: nothing to read),
    ``not-image`` (a file of another kind, e.g. a PDF) or ``unreadable`` (``problem`` says why).
    """

    index: int
    name: str
    attachment: Attachment
    path: Path | None
    status: Status
    image: Image.Image | None = None
    problem: str | None = None


def attachment_name(attachment: Attachment, index: int) -> str:
    """The name to show people: the filename, else the path's last part, else its position."""
    if attachment.filename:
        return attachment.filename
    if attachment.path:
        return Path(attachment.path).name or attachment.path
    return f"attachment {index + 1}"


def resolve_path(ctx: Context, attachment: Attachment) -> Path | None:
    """The attachment's file: ``path`` as given when absolute, else relative to ``ctx.base_dir``."""
    if not attachment.path:
        return None
    path = Path(attachment.path)
    return path if path.is_absolute() else Path(ctx.base_dir) / path


def opened_attachments(ctx: Context) -> tuple[OpenedAttachment, ...]:
    """Every attachment of ``ctx.message``, opened once per message."""
    return ctx.memo("attachments.opened", lambda: tuple(
        open_attachment(ctx, a, i) for i, a in enumerate(ctx.message.attachments)))


def open_attachment(ctx: Context, attachment: Attachment, index: int) -> OpenedAttachment:
    name = attachment_name(attachment, index)
    path = resolve_path(ctx, attachment)

    def result(status: Status, image: Image.Image | None = None, problem: str | None = None):
        return OpenedAttachment(index, name, attachment, path, status, image, problem)

    if path is None:
        return result("no-file")
    kind = _declared_type(attachment, path)
    if kind and not kind.startswith("image/"):
        return result("not-image", problem=f"it is not an image ({kind})")
    if kind in UNSUPPORTED:
        return result("unreadable", problem=UNSUPPORTED[kind])
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return result("unreadable", problem="file not found")
    except OSError as exc:
        return result("unreadable", problem=f"the file could not be opened ({exc.strerror or type(exc).__name__})")
    if not path.is_file():
        return result("unreadable", problem="the path is not a file")
    if size > MAX_FILE_BYTES:
        return result("unreadable", problem=f"the file is too large ({size / 2**20:.0f} MB; the limit is "
                                            f"{MAX_FILE_BYTES // 2**20} MB)")
    if size == 0:
        return result("unreadable", problem="the file is empty")
    image, problem = _load(path)
    return result("image", image) if image is not None else result("unreadable", problem=problem)


def _declared_type(attachment: Attachment, path: Path) -> str | None:
    """The attachment's content type as declared, else as its file name suggests; None when unknown."""
    if attachment.content_type:
        return attachment.content_type.split(";", 1)[0].strip().lower() or None
    guessed, _ = mimetypes.guess_type(attachment.filename or path.name)
    return guessed


def _load(path: Path) -> tuple[Image.Image | None, str | None]:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                w, h = im.size
                if w * h > MAX_PIXELS:
                    return None, f"the image is too large to read ({w}x{h} pixels)"
                if im.format == "JPEG":
                    im.draft("RGB", (JPEG_DRAFT, JPEG_DRAFT))
                im.seek(0)  # the first frame of an animation
                im.load()
                return flatten_to_rgb(ImageOps.exif_transpose(im)), None
    except UnidentifiedImageError:
        return None, "it is corrupt or not a picture in a format that can be read"
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None, "the image is too large to read"
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        # Pillow reports truncated and damaged files as OSError, some decoders as SyntaxError/ValueError.
        return None, f"the image is corrupt or truncated ({exc})"


def flatten_to_rgb(im: Image.Image) -> Image.Image:
    """RGB with any transparency laid on white (how a logo on a transparent background is seen)."""
    import numpy as np
    from PIL import Image

    if im.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        a = np.asarray(im, dtype=np.float32)
        lo, hi = float(a.min()), float(a.max())
        scaled = (a - lo) * (255.0 / (hi - lo)) if hi > lo else np.zeros_like(a)
        return Image.fromarray(scaled.astype(np.uint8)).convert("RGB")
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return im.convert("RGB")
