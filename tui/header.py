"""The screens' header: Textual's Header without its crash when a screen goes at once.

Textual's Header updates its title from watchers whose first run is queued on the app and the
screen when the header mounts. A screen removed before they run (a step left right after it
opened, Back pressed twice on a busy machine, the app quitting) has already lost the header's
HeaderTitle child, and the queued update raised `NoMatches: No nodes match 'HeaderTitle'`, which
ends the app (seen as a flaky Pilot test under load; reproduced in
tests/tui/test_tui_flows.py::test_a_step_left_at_once_does_not_crash_the_header). Here the update
of a header that is going is simply skipped.
"""

from __future__ import annotations

from textual import events
from textual.css.query import NoMatches
from textual.dom import NoScreen
from textual.widget import Widget
from textual.widgets import Header
from textual.widgets._header import HeaderTitle


class TitleHeader(Header):
    def _on_mount(self, event: events.Mount) -> None:
        # Header's own _on_mount would register the unguarded watchers; only ours run.
        event.prevent_default()
        Widget._on_mount(self, event)

        async def set_title() -> None:
            try:
                self.query_one(HeaderTitle).update(self.format_title())
            except (NoScreen, NoMatches):
                pass  # the header is being removed with its screen: nothing to show

        self.watch(self.app, "title", set_title)
        self.watch(self.app, "sub_title", set_title)
        self.watch(self.screen, "title", set_title)
        self.watch(self.screen, "sub_title", set_title)
