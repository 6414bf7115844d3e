"""``LeanProcess``: a customer's generator driven through SimPy events, minus two events.

``simpy.Process`` wraps a generator so that each event it yields resumes it.
It also costs two events of bookkeeping per process: an ``Initialize`` event
to start the generator, and the process itself, triggered when the generator
returns so that others may wait for it.  A model of 16,000 journeys starts
8,000 customer processes and so spends a quarter of its events on these two.

A customer needs neither.  It starts at the instant it arrives, and nobody
waits for a customer to finish.  So ``LeanProcess`` runs the generator at
once up to its first ``yield`` and resumes it from the callbacks of the
events it yields.  Those are SimPy timeouts and queue tickets, scheduled on
the same ``simpy.Environment``: the simulation's clock and order are
SimPy's own.

Two differences from ``simpy.Process``, both irrelevant to customers:

* an event must still be pending when yielded (a fresh timeout or ticket
  always is); a customer cannot wait on an event that already happened;
* an exception inside a customer stops the run at once, rather than
  failing a process event that would stop it a step later.

>>> import simpy
>>> env = simpy.Environment()
>>> def customer(env, log):
...     log.append(("arrives", env.now))
...     yield env.timeout(3)
...     log.append(("leaves", env.now))
>>> log = []
>>> _ = LeanProcess(customer(env, log))
>>> env.run()
>>> log
[('arrives', 0), ('leaves', 3)]
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

__all__ = ["LeanProcess"]


class LeanProcess:
    """Run ``generator`` now until it yields; resume it when each yielded event happens."""

    __slots__ = ("_send",)

    def __init__(self, generator: Generator[Any, Any, None]):
        self._send = generator.send
        try:
            event = self._send(None)
        except StopIteration:
            return
        event.callbacks.append(self._resume)

    def _resume(self, event: Any) -> None:
        try:
            event = self._send(event._value)
        except StopIteration:
            return
        event.callbacks.append(self._resume)
