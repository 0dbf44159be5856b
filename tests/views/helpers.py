"""Shared helpers of the views tests."""
from __future__ import annotations

import logging

from duzhan.views import shell


class TimingRecords(list):
    """A logging handler's records, attached to duzhan.timing for one test."""

    def __enter__(self):
        self.handler = logging.Handler()
        self.handler.emit = self.append
        shell.TIMING.addHandler(self.handler)
        return self

    def __exit__(self, *exc):
        shell.TIMING.removeHandler(self.handler)
