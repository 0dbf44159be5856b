"""The status palette: a red and a yellow that a room calls red and yellow (hue), apart from
each other and from green for everyone and for red–green colour-blind readers (CIELAB
distance after the Machado 2009 simulation), and readable text on each fill (WCAG)."""
from __future__ import annotations

import colorsys

import numpy as np
import pytest

from duzhan.presentation.palette import STATUS_COLORS, STATUS_INK, STATUS_TEXT, rgba

# Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB
CVD = {
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
}


def _rgb(color: str) -> np.ndarray:
    return np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)]) / 255


def _linear(c: np.ndarray) -> np.ndarray:
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(lin: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ lin / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str, cvd: str | None = None) -> float:
    la, lb = _linear(_rgb(a)), _linear(_rgb(b))
    if cvd:
        la, lb = np.clip(CVD[cvd] @ la, 0, 1), np.clip(CVD[cvd] @ lb, 0, 1)
    return float(np.linalg.norm(_lab(la) - _lab(lb)))


def contrast(a: str, b: str) -> float:
    lum = [float(_linear(_rgb(c)) @ [0.2126, 0.7152, 0.0722]) for c in (a, b)]
    hi, lo = max(lum), min(lum)
    return (hi + 0.05) / (lo + 0.05)


def hue(color: str) -> float:
    return colorsys.rgb_to_hsv(*_rgb(color))[0] * 360


def test_red_is_red_and_yellow_is_yellow():
    h = hue(STATUS_COLORS["red"])
    assert h <= 8 or h >= 352  # not vermilion (#D55E00 is 26°)
    assert 40 <= hue(STATUS_COLORS["yellow"]) <= 60  # not orange (#E69F00 is 41° but dull)
    assert 120 <= hue(STATUS_COLORS["green"]) <= 170


def test_the_old_orange_pair_would_fail():
    # the check below is the one that tells the projector's two oranges apart
    assert delta_e("#D55E00", "#E69F00") < 40


@pytest.mark.parametrize("a, b", [("red", "yellow"), ("red", "green"), ("yellow", "green")])
def test_statuses_stay_apart(a, b):
    assert delta_e(STATUS_COLORS[a], STATUS_COLORS[b]) >= 50
    for cvd in CVD:
        assert delta_e(STATUS_COLORS[a], STATUS_COLORS[b], cvd) >= 20, cvd


@pytest.mark.parametrize("status, minimum", [("red", 4.5), ("yellow", 4.5), ("green", 3.0)])
def test_text_on_each_fill_is_readable(status, minimum):
    # green carries only large text (the status strip, chips in bold)
    assert contrast(STATUS_COLORS[status], STATUS_TEXT[status]) >= minimum


@pytest.mark.parametrize("status", ["red", "yellow", "green"])
def test_status_words_on_white_are_readable(status):
    # the PDF and PPTX write a status word in its colour on white paper
    assert contrast(STATUS_INK[status], "#FFFFFF") >= 4.5
    assert abs(hue(STATUS_INK[status]) - hue(STATUS_COLORS[status])) < 12


def test_rgba():
    assert rgba("#C62828", 0.18) == "rgba(198, 40, 40, 0.18)"
    assert rgba("#0072B2", 1) == "rgba(0, 114, 178, 1)"
