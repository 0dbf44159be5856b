"""Fixtures and helpers of the export tests, imported by the test modules: an as-of date
inside the demo campaign, the demo store's engine, and PNG helpers."""
from __future__ import annotations

import datetime as dt
import io
import struct

import numpy as np
import pytest

from duzhan.store.db import make_engine


@pytest.fixture(scope="session")
def as_of(demo_ledgers) -> dt.date:
    """45 days into the third phase (集中整改) of the demo campaign, not after today."""
    ph = demo_ledgers.phases.sort_values("phase_no")
    start = ph.iloc[min(2, len(ph) - 1)]["start_date"].date()
    return min(start + dt.timedelta(days=45), dt.date.today())


@pytest.fixture(scope="session")
def demo_engine(demo_db_url):
    eng = make_engine(demo_db_url)
    yield eng
    eng.dispose()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def png_pixels(data: bytes) -> np.ndarray:
    """H × W × 3 uint8 RGB."""
    import matplotlib.image as mpimg

    img = mpimg.imread(io.BytesIO(data), format="png")
    if img.dtype != np.uint8:
        img = (img * 255).round().astype(np.uint8)
    return img[..., :3]


def non_white_share(px: np.ndarray, level: int = 245) -> float:
    return float((px.min(axis=2) < level).mean())


def hex_rgb(color: str) -> tuple[int, int, int]:
    h = color.lstrip("#")
    return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))


def count_color(px: np.ndarray, color: str, tol: int = 3) -> int:
    rgb = np.array(hex_rgb(color), dtype=np.int16)
    return int((np.abs(px.astype(np.int16) - rgb).max(axis=2) <= tol).sum())
