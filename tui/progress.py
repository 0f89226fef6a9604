"""Per-target progress while a step probes live servers (issue 14 item 7): a Static that shows
a ProgressBoard, and the callback the probing threads call.

Why not `App.call_from_thread`: it waits until the UI has run the update, so a probe thread
would block on the UI, and once the app has ended it raises or never returns (a thread of the
job then never ends). The callback here hands each report to the event loop with
`call_soon_threadsafe` (what call_from_thread uses underneath) without waiting; on the loop the
report is applied only while its run is still the step's current one and the step is still
shown, so a result that arrives after the user left (or pressed Back) is dropped quietly.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.widgets import Static

if TYPE_CHECKING:
    from collabcert.jobs.probe import TargetProgress
    from collabcert.tui.progress_board import ProgressBoard


class ProgressLines(Static):
    """`Probing: 3 of 12 done`, then one line per target."""

    def show(self, board: ProgressBoard, what: str = "Probing") -> None:
        self.update(board.text(what))
        self.display = True


def thread_reporter(is_current: Callable[[], bool],
                    apply: Callable[[TargetProgress], None]
                    ) -> Callable[[TargetProgress], None]:
    """A progress callback for the probing threads. Make it on the UI thread (it takes the
    running loop); `apply` runs on that loop, only while `is_current()` holds."""
    loop = asyncio.get_running_loop()

    def on_loop(event: TargetProgress) -> None:
        if is_current():
            apply(event)

    def report(event: TargetProgress) -> None:
        try:
            loop.call_soon_threadsafe(on_loop, event)
        except RuntimeError:
            pass  # the event loop is closed: the app has ended, nobody is left to tell

    return report
