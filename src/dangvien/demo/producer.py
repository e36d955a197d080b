"""A second process that generates rows while this one writes them.

Generating the demo's people is pure Python on one core, writing them is the database's work on
the other: a forked child runs the generator and sends what it makes through a pipe (one item in
flight, so memory stays flat), the parent writes. The child never touches the database connection
it inherits and leaves with `os._exit` (multiprocessing's fork start), so the connection is not
closed under the parent.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any

Send = Callable[[str, Any], None]


class ProducerFailed(RuntimeError):
    pass


def _run(work: Callable[[Send], None], pipe: Connection) -> None:
    try:
        work(lambda kind, value: pipe.send((kind, value)))
    except BaseException:
        pipe.send(("error", traceback.format_exc()))
    finally:
        pipe.close()


class Producer:
    """`with Producer(work) as produced:` runs `work(send)` in a child; `produced.receive(kind)`
    returns the value of the next item sent, which must be of that kind."""

    def __init__(self, work: Callable[[Send], None]) -> None:
        context = multiprocessing.get_context("fork")
        self._pipe, child_end = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(work, child_end), daemon=True)
        self._process.start()
        child_end.close()

    def receive(self, *kinds: str) -> tuple[str, Any]:
        try:
            kind, value = self._pipe.recv()
        except EOFError:
            raise ProducerFailed(
                f"the generating process stopped (exit code {self._process.exitcode})"
            ) from None
        if kind == "error":
            raise ProducerFailed(f"the generating process failed:\n{value}")
        if kind not in kinds:
            raise ProducerFailed(f"expected {' or '.join(kinds)} from the generator, got {kind}")
        return kind, value

    def __enter__(self) -> Producer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._pipe.close()
        self._process.join(timeout=None if exc_type is None else 5)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join()
