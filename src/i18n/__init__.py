"""The one UI text catalogue: every user-facing string, in zh-CN (default) and English.

Texts live in `catalogue/*.toml`, one file per area, each entry a table with `zh` and `en`:

    ["import.missing_column"]
    zh = "缺少必填列 {column}"
    en = "missing required column {column}"

Keys are unique across all files; `t()` raises on an unknown key so a typo fails a test.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
# resolved: a strict editable install links each file, so a catalogue file added since
# `make install` is found in src/ all the same
_DIR = Path(__file__).resolve().parent / "catalogue"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(_DIR.glob("*.toml")):
        with path.open("rb") as fh:
            entries = tomllib.load(fh)
        for key, texts in entries.items():
            if key in merged:
                raise ValueError(f"i18n key {key!r} defined twice ({path.name})")
            missing = [lang for lang in LANGS if lang not in texts]
            if missing:
                raise ValueError(f"i18n key {key!r} in {path.name} lacks {missing}")
            merged[key] = texts
    return merged


def normalise_lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str | None = DEFAULT_LANG, **params: object) -> str:
    text = catalogue()[key][normalise_lang(lang)]
    return text.format(**params) if params else text
