"""Functions the isolation tests run in workers: each does to its process what a hostile file
does to a parser (abort, hang, exhaust memory) or what a bug of ours does (raise)."""

from __future__ import annotations

import os
import time


def read(item):
    if item == "abort":
        os.abort()
    if item == "hang":
        time.sleep(3600)
    if item == "hog":
        return len(bytearray(8 * 2**30))  # beyond the worker's address-space cap
    if item == "bug":
        raise KeyError("a bug of ours")
    if item == "exit":
        os._exit(7)
    return item * 2
