"""Independent random streams, one per purpose, all spawned from one seed.

Each purpose (``"arrivals"``, ``"routing"``, ``"patience"``,
``"service:phone"``…) gets its own numpy Generator whose seed is derived
from the run's seed *and the purpose's name*.  Adding a touchpoint therefore
does not reshuffle the others, and two policies run with the same seed see
the same customers with the same needs: common random numbers.

Streams hand out variates one at a time from blocks drawn in bulk, because
numpy is fast per block and slow per call.

>>> a = Streams(seed=1).stream("arrivals", "exponential")
>>> b = Streams(seed=1).stream("arrivals", "exponential")
>>> [round(a(), 6) for _ in range(3)] == [round(b(), 6) for _ in range(3)]
True
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from functools import partial
from itertools import chain

import numpy as np

__all__ = ["Streams", "stream_seed"]

BLOCK = 4096


def stream_seed(seed: int, purpose: str) -> np.random.SeedSequence:
    """The seed sequence of one purpose: stable across runs, Python versions and machines."""
    return np.random.SeedSequence(entropy=seed, spawn_key=(zlib.crc32(purpose.encode()),))


class Streams:
    """A factory of named, independent variate streams for one run."""

    def __init__(self, seed: int):
        self.seed = int(seed)

    def generator(self, purpose: str) -> np.random.Generator:
        """A numpy Generator for ``purpose`` (for bulk draws outside the event loop)."""
        return np.random.default_rng(stream_seed(self.seed, purpose))

    def stream(self, purpose: str, base: str | None) -> Callable[[], float]:
        """A function returning the next base variate of ``purpose``.

        ``base`` is ``"exponential"`` (mean 1), ``"normal"`` (standard) or
        ``"uniform"`` ([0, 1)); ``None`` gives a stream of zeros (no randomness).
        """
        if base is None:
            return lambda: 0.0
        generator = self.generator(f"{purpose}/{base}")
        draw = {
            "exponential": generator.standard_exponential,
            "normal": generator.standard_normal,
            "uniform": generator.random,
        }[base]
        return _block_stream(lambda: draw(BLOCK).tolist())


def _block_stream(refill: Callable[[], list[float]]) -> Callable[[], float]:
    """Serve floats one by one from blocks drawn by ``refill``.

    ``iter(refill, None)`` calls ``refill`` whenever a block runs out and ``chain``
    flattens the blocks, so each call runs entirely in C: a model draws hundreds of
    thousands of variates, and a Python-level ``__call__`` per draw showed in profiles.
    """
    return partial(next, chain.from_iterable(iter(refill, None)))
