"""Choices whose state is a character, not only a colour (NO_COLOR, screen readers, reading aloud).

Textual draws a radio button, a checkbox and a SelectionList tick as the same `▐X▌` in every state
and lets the colour tell on from off: without colour a person saw no difference (issue 12 items
10 and 14). These draw `(•)` / `( )` and `[x]` / `[ ]`.

`ChoiceSet` is a RadioSet whose highlight *is* the choice: the arrow keys press the button they
move to, so what is highlighted is what Next builds (the bundle flow built the Expressway trust
list while "Chain for CUCM" was highlighted, because only Space pressed a button).
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, RadioSet, SelectionList


class Choice(RadioButton):
    """A radio button drawn `(•) label` when chosen and `( ) label` when not."""

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.assemble(("(•)" if self.value else "( )", style))


class ChoiceSet(RadioSet):
    """Up/Down (and Left/Right) move the choice itself; Enter or Space keeps it chosen.

    The keys get actions of their own: RadioSet calls action_next_button itself at mount (to
    place its highlight), which must not press anything."""

    BINDINGS = [
        Binding("down,right", "choose(1)", "Next option", show=False, id="choices.next"),
        Binding("enter,space", "choose(0)", "Choose", show=False, id="choices.choose"),
        Binding("up,left", "choose(-1)", "Previous option", show=False,
                id="choices.previous"),
    ]

    def action_choose(self, step: int) -> None:
        if step > 0:
            self.action_next_button()
        elif step < 0:
            self.action_previous_button()
        if self._selected is None:
            return
        button = self._nodes[self._selected]
        if isinstance(button, RadioButton) and not button.value:
            button.value = True  # a radio choice is never "un-chosen" by Enter


class Tick(Checkbox):
    """A checkbox drawn `[x] label` when ticked and `[ ] label` when not."""

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.assemble(("[x]" if self.value else "[ ]", style))


class TickList(SelectionList[str]):
    """A SelectionList whose rows start `[x]` when ticked and `[ ]` when not."""

    def on_focus(self) -> None:
        # Tab into the list left no row highlighted, so Space unticked nothing
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        segments = list(line)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except Exception:  # noqa: BLE001 - below the last option: nothing to mark
            return line
        if len(segments) < 3:
            return line
        ticked = selection.value in self._selected
        inner = segments[1]  # the button's own style (its sides use the background colours)
        mark = inner._replace(text="[x]" if ticked else "[ ]")
        return Strip([mark, *segments[3:]], line.cell_length)
