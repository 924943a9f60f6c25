"""The logo search itself: templates, pHash and multi-scale correlation (see detectors/logo.py).

Kept apart from the detector so that numpy, scipy and imagehash are imported only when a message
actually has a picture to compare.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

import imagehash
import numpy as np
from PIL import Image, ImageOps
from scipy import fft as sfft

from councilguard.detectors.attachments import flatten_to_rgb

MARGIN = 0.15  # the centre searched for: the logo less 15% a side, so a cropped margin still contains it
COARSE = 20  # side in pixels of the smallest coarse template
STEPS = 4  # coarse templates per octave of the image pyramid
FINE = 64  # side of the centre when verifying
FINE_SCALES = np.linspace(0.9, 1.1, 6)  # covers the coarse scale step (2**(1/4) = 1.19) and some
WORK_SIDE = 600  # pictures are reduced (by whole factors) until the shorter side is near this
COARSE_MIN = 0.7  # |correlation| a coarse peak needs to be verified (the logo scores 0.84+)
CANDIDATES = 3  # distinct coarse peaks verified per picture
HASH_NEAR = 12  # pHash bits (of 64) within which the whole picture is verified as the logo
FLAT = 4.0  # a window whose grey levels vary less than this (standard deviation) cannot hold the logo


@lru_cache(maxsize=4)
def load_model(path: str, mtime_ns: int) -> "LogoModel":
    with Image.open(path) as im:
        return LogoModel(flatten_to_rgb(im))


@dataclass(frozen=True)
class Match:
    similarity: float
    box: tuple[int, int, int, int]  # the whole logo in the picture's pixels: left, top, right, bottom
    where: str


@dataclass(frozen=True)
class _Candidate:
    strength: float  # |coarse correlation|, or 1 - hash distance / 64 for the whole picture
    sign: float  # -1 when the picture is the logo's negative
    x: float  # the logo's centre region in the searched image's pixels
    y: float
    side: float


class LogoModel:
    """Templates and hashes of one logo, and the search for it in a picture."""

    def __init__(self, logo: Image.Image):
        grey = logo.convert("L")
        w, h = grey.size
        self.centre = grey.crop((round(w * MARGIN), round(h * MARGIN), round(w * (1 - MARGIN)),
                                 round(h * (1 - MARGIN))))
        self.coarse = [self._template(round(COARSE * 2 ** (k / STEPS))) for k in range(STEPS + 1)]
        self.fine = [self._template(round(FINE * f)) for f in FINE_SCALES]
        self.fine_edges = _unit(_edges(np.asarray(self.centre.resize((FINE, FINE), Image.LANCZOS), np.float32)))
        self.hashes = (_phash(grey), _phash(ImageOps.invert(grey)))

    def _template(self, side: int) -> np.ndarray:
        return _unit(np.asarray(self.centre.resize((side, side), Image.LANCZOS), np.float32))

    def find(self, picture: Image.Image, min_fraction: float = 0.2, enough: float = 0.9) -> Match | None:
        """The best verified match of the logo in ``picture``, or None when nothing is worth verifying.

        The search stops at the first candidate verified at ``enough`` or more.
        """
        factor = max(1, min(picture.size) // WORK_SIDE)
        grey = (picture.reduce(factor) if factor > 1 else picture).convert("L")
        best: Match | None = None
        for image, cand, stretched in self._candidates(grey, min_fraction):
            similarity = self._verify(image, cand)
            if best is None or similarity > best.similarity:
                best = self._match(similarity, cand, grey.size, stretched, factor)
            if similarity >= enough:
                break
        return best

    # --- proposing ---------------------------------------------------------------------------
    def _candidates(self, grey: Image.Image, min_fraction: float):
        picture_hash = _phash(grey)
        distance, sign = min((picture_hash - h, s) for h, s in zip(self.hashes, (1.0, -1.0)))
        if distance <= HASH_NEAR and min(grey.size) >= COARSE:
            side = max(grey.size)
            square = grey.resize((side, side), Image.BILINEAR)
            yield square, _Candidate(1 - distance / 64, sign, MARGIN * side, MARGIN * side,
                                     (1 - 2 * MARGIN) * side), True
        picked: list[_Candidate] = []
        for cand in sorted(self._coarse_peaks(grey, min_fraction), key=lambda c: -c.strength):
            if cand.strength < COARSE_MIN or len(picked) == CANDIDATES:
                break
            if all(abs(cand.x - p.x) > p.side / 2 or abs(cand.y - p.y) > p.side / 2 for p in picked):
                picked.append(cand)
                yield grey, cand, False

    def _coarse_peaks(self, grey: Image.Image, min_fraction: float) -> Iterator[_Candidate]:
        """The strongest correlation of each coarse template at each level of an image pyramid."""
        w, h = grey.size
        scale = min(1.0, COARSE / ((1 - 2 * MARGIN) * min_fraction * min(w, h)))
        level = grey.resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.BOX) if scale < 1 else grey
        while min(level.size) >= COARSE:
            ratio = level.size[0] / w
            plane = _Plane(np.asarray(level, np.float32))
            for template in self.coarse:
                ncc = plane.ncc(template)
                if ncc is None:
                    continue
                y, x = divmod(int(np.argmax(np.abs(ncc))), ncc.shape[1])
                yield _Candidate(abs(float(ncc[y, x])), 1.0 if ncc[y, x] >= 0 else -1.0,
                                 x / ratio, y / ratio, template.shape[0] / ratio)
            level = level.resize((level.size[0] // 2, level.size[1] // 2), Image.BOX)

    # --- verifying ---------------------------------------------------------------------------
    def _verify(self, image: Image.Image, cand: _Candidate) -> float:
        """Mean of the fine grey correlation and the edge correlation at the best alignment, in 0..1."""
        pad = 0.25 * cand.side
        w, h = image.size
        box = (max(0, round(cand.x - pad)), max(0, round(cand.y - pad)),
               min(w, round(cand.x + cand.side + pad)), min(h, round(cand.y + cand.side + pad)))
        f = FINE / cand.side
        region = image.crop(box)
        size = (max(1, round(region.size[0] * f)), max(1, round(region.size[1] * f)))
        region = region.resize(size, Image.BOX if f < 1 else Image.BILINEAR)
        plane = _Plane(np.asarray(region, np.float32))
        grey, where = -1.0, None
        for template in self.fine:
            ncc = plane.ncc(template)
            if ncc is None:
                continue
            ncc = ncc * cand.sign
            y, x = divmod(int(np.argmax(ncc)), ncc.shape[1])
            if ncc[y, x] > grey:
                grey, where = float(ncc[y, x]), (x, y, template.shape[0])
        if where is None:
            return 0.0
        x, y, side = where
        window = Image.fromarray(plane.a[y:y + side, x:x + side]).resize((FINE, FINE), Image.BILINEAR)
        edges = float((_unit(_edges(np.asarray(window, np.float32))) * self.fine_edges).sum())
        return float(np.clip((grey + edges) / 2, 0.0, 1.0))

    @staticmethod
    def _match(similarity: float, cand: _Candidate, size: tuple[int, int], stretched: bool, factor: int) -> Match:
        w, h = size
        if stretched:
            return Match(similarity, (0, 0, w * factor, h * factor), "the whole picture")
        full = cand.side / (1 - 2 * MARGIN)
        left, top = cand.x - MARGIN * full, cand.y - MARGIN * full
        box = (max(0, round(left)), max(0, round(top)), min(w, round(left + full)), min(h, round(top + full)))
        return Match(similarity, tuple(v * factor for v in box), _where(box, w, h))


def _where(box: tuple[int, int, int, int], w: int, h: int) -> str:
    left, top, right, bottom = box
    if (right - left) >= 0.6 * min(w, h) and (right - left) * (bottom - top) >= 0.35 * w * h:
        return "the whole picture"
    cx, cy = (left + right) / 2 / w, (top + bottom) / 2 / h
    row = "top" if cy < 1 / 3 else "bottom" if cy > 2 / 3 else "middle"
    col = "left" if cx < 1 / 3 else "right" if cx > 2 / 3 else "centre"
    return "the centre of the picture" if (row, col) == ("middle", "centre") else f"the {row} {col} of the picture"


# --- correlation ----------------------------------------------------------------------------------------


class _Plane:
    """A grey image with its FFT and integral images, for normalised cross-correlation with many templates."""

    def __init__(self, a: np.ndarray):
        self.a = a
        h, w = a.shape
        self.shape = (sfft.next_fast_len(h, True), sfft.next_fast_len(w, True))
        self.spectrum = sfft.rfft2(a, self.shape, workers=1)
        a64 = a.astype(np.float64) - float(a.mean())  # centred: window variances keep their precision
        self.sums = np.pad(a64, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
        self.squares = np.pad(a64 * a64, ((1, 0), (1, 0))).cumsum(0).cumsum(1)

    def ncc(self, template: np.ndarray) -> np.ndarray | None:
        """Correlation of a zero-mean, unit-norm template at every position where it fits wholly."""
        h, w = self.a.shape
        th, tw = template.shape
        if th > h or tw > w:
            return None
        # Circular correlation of size >= the image: the wrapped part lands before (th-1, tw-1) only.
        spectrum = sfft.rfft2(template[::-1, ::-1], self.shape, workers=1)
        corr = sfft.irfft2(self.spectrum * spectrum, self.shape, workers=1)[th - 1:h, tw - 1:w]
        n = th * tw
        s, q = self.sums, self.squares
        total = s[th:, tw:] - s[:-th, tw:] - s[th:, :-tw] + s[:-th, :-tw]
        square = q[th:, tw:] - q[:-th, tw:] - q[th:, :-tw] + q[:-th, :-tw]
        norm = np.sqrt(np.maximum(square - total * total / n, 0.0))
        flat = norm <= FLAT * np.sqrt(n)
        return np.where(flat, 0.0, corr / np.where(flat, 1.0, norm))


def _phash(grey: Image.Image) -> imagehash.ImageHash:
    """pHash of a grey picture, shrunk first with a box filter (pHash's own Lanczos is slow on big pictures)."""
    return imagehash.phash(grey.resize((64, 64), Image.BOX))


def _unit(a: np.ndarray) -> np.ndarray:
    a = a - a.mean()
    norm = float(np.linalg.norm(a))
    return a / norm if norm else a


def _edges(a: np.ndarray) -> np.ndarray:
    gy, gx = np.gradient(a)
    return np.hypot(gx, gy)
