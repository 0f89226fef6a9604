"""Getting input in: a tree of the current folder, a path field with completion, a paste area.

The picker only collects *which* sources the user wants (paths and pasted text); reading them is the
engine's job (tui/loading.py calls collabcert.load). The plain values it collects (Sources,
PickerState) live in tui/picker_state.py, so state modules use them without textual.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import (
    Button,
    Checkbox,
    DirectoryTree,
    Input,
    Label,
    SelectionList,
    TabbedContent,
    TabPane,
    TextArea,
)

from collabcert.display import shown
from collabcert.tui.choices import Tick, TickList
from collabcert.tui.paths import display_path, typed_path
from collabcert.tui.picker_state import PickerState, Sources

CERT_SUFFIXES = frozenset(
    {".pem", ".crt", ".cer", ".der", ".p7b", ".p7c", ".pfx", ".p12", ".key", ".csr", ".req", ".txt"}
)


def likely_certificate(path: Path) -> bool:
    return path.suffix.lower() in CERT_SUFFIXES


class CertTree(DirectoryTree):
    """The current folder, showing only likely certificate files unless `show_all`."""

    help_topic = "file-picker"

    def __init__(self, path: str | Path, *, show_all: bool = False, **kwargs) -> None:
        super().__init__(path, **kwargs)
        self.show_all = show_all

    def process_label(self, label):  # Textual's hook for every node's label (a file name)
        # a file name may hold control characters or a bidi override: shown escaped
        return super().process_label(shown(label) if isinstance(label, str) else label)

    def _toggle_node(self, node) -> None:  # Textual's Tree hook for Enter / click on a folder
        # The cursor starts on the folder itself, so the first Enter used to fold it and every
        # file vanished (seen in tmux at 80x24). The top folder stays open; others toggle.
        if node is self.root and node.is_expanded:
            return
        super()._toggle_node(node)

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        shown = []
        for path in paths:
            if path.name.startswith("."):
                continue
            try:
                is_dir = path.is_dir()
            except OSError:
                continue
            if is_dir or self.show_all or likely_certificate(path):
                shown.append(path)
        return shown


class PathSuggester(Suggester):
    """Completes the path being typed from the file system (accept with the Right arrow key)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value or "*" in value:
            return None
        expanded = os.path.expanduser(value)
        matches = sorted(glob.glob(glob.escape(expanded) + "*"))
        if not matches:
            return None
        match = matches[0]
        if os.path.isdir(match):
            match += os.sep
        if value.startswith("~"):
            match = "~" + match[len(os.path.expanduser("~")) :]
        return match if match != value else None


def expand_typed_path(text: str, base: Path) -> tuple[list[Path], str]:
    """The files a typed path means: one file, a folder's likely files, or a glob; and a problem."""
    text = text.strip()
    if not text:
        return [], "Type a path first."
    path = typed_path(text, base)
    if path.is_file():  # a real name wins over a pattern: "odd [x].pem" is a file name
        return [path], ""
    if any(ch in text for ch in "*?["):
        found = sorted(Path(p) for p in glob.glob(str(path)) if Path(p).is_file())
        return found, "" if found else f"No file matches {text}."
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.is_file() and likely_certificate(p))
        return found, "" if found else f"{text} holds no certificate-like files."
    if not path.exists():
        return [], f"{text}: no such file; check the path (Right arrow completes)."
    return [path], ""


class SourcePicker(Vertical):
    """Tabs: Browse (tree), Type a path, Paste text; below them the chosen files."""

    DEFAULT_CSS = """
    SourcePicker #source-tabs {
        height: auto;
    }
    SourcePicker #tree {
        height: auto;  /* a folder of three files should not push the chosen list off 80x24 */
        min-height: 3;
        max-height: 10;
    }
    SourcePicker .path-row {
        height: auto;
    }
    SourcePicker .path-row Input {
        width: 1fr;
    }
    SourcePicker .path-row Button {
        margin: 1 0 0 1;
    }
    SourcePicker #paste {
        height: 10;
    }
    SourcePicker #chosen {
        height: auto;
        min-height: 3;  /* one file stays visible when a message below takes the room (80x24) */
        max-height: 8;
    }
    SourcePicker #chosen-title {
        margin-top: 1;
    }
    """

    class Changed(Message):
        """The chosen sources changed."""

    def __init__(self, state: PickerState, base: Path | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.picker_state = state
        self.base = base or Path.cwd()

    def compose(self) -> ComposeResult:
        st = self.picker_state
        with TabbedContent(initial=st.tab, id="source-tabs"):
            with TabPane("Browse", id="tab-browse"):
                yield Tick(
                    "Show all files: yes" if st.show_all else "Show all files: no",
                    value=st.show_all, id="show-all", compact=True,
                )
                yield CertTree(self.base, show_all=st.show_all, id="tree")
            with TabPane("Type a path", id="tab-path"):
                yield Label("File, folder or pattern such as certs/*.cer (Right arrow completes)")
                with Horizontal(classes="path-row"):
                    path_input = Input(
                        st.path_text, placeholder="path/to/file.pem",
                        suggester=PathSuggester(), id="path-input",
                    )
                    path_input.help_topic = "path-input"
                    yield path_input
                    yield Button("Add", id="add-path", compact=True)
                yield Label("", id="path-error", classes="error-text", markup=False)
            with TabPane("Paste text", id="tab-paste"):
                yield Label("Paste PEM text or a whole e-mail with PEM blocks inside:")
                area = TextArea(
                    st.pasted, id="paste", soft_wrap=False, tab_behavior="focus",
                    placeholder="-----BEGIN CERTIFICATE-----",
                )
                area.help_topic = "paste"
                yield area
        yield Label("", id="chosen-title", markup=False)
        chosen = TickList(id="chosen")  # [x] / [ ]: ticked or not without colour
        chosen.help_topic = "chosen-files"
        yield chosen

    def on_mount(self) -> None:
        # A step left in the same tick it opened (Back pressed twice on a busy machine) loses
        # the picker's children before this runs, the race tui/header.py describes: there is
        # nothing left to fill then, and NoMatches would end the app.
        try:
            self.refresh_chosen()
        except NoMatches:
            pass

    # --- reading the state back ----------------------------------------------------------
    def sources(self) -> Sources:
        self.save()
        st = self.picker_state
        paths = tuple(p for p in st.chosen if p not in st.unticked)
        return Sources(paths, st.pasted)

    def save(self) -> None:
        st = self.picker_state
        st.path_text = self.query_one("#path-input", Input).value
        st.pasted = self.query_one("#paste", TextArea).text
        st.show_all = self.query_one("#show-all", Checkbox).value
        st.tab = self.query_one("#source-tabs", TabbedContent).active or st.tab

    # --- adding and removing -------------------------------------------------------------
    def add_paths(self, paths: Iterable[Path]) -> int:
        st, added = self.picker_state, 0
        for path in paths:
            if path in st.chosen:
                st.unticked.discard(path)
                continue
            st.chosen.append(path)
            added += 1
        self.refresh_chosen()
        return added

    def refresh_chosen(self) -> None:
        st = self.picker_state
        chosen = self.query_one("#chosen", SelectionList)
        chosen.clear_options()
        for path in st.chosen:
            label = shown(display_path(path, self.base))  # a file name may hold escapes too
            chosen.add_option((label, str(path), path not in st.unticked))
        # As many rows as files (up to 4), and the tree gives up rows once files are chosen:
        # at 80x24 the body ended inside the list, so 16 chosen files showed as one line in a
        # border (issue 12 item 14).
        chosen.styles.height = min(max(len(st.chosen), 1), 4) + 2
        self.query_one("#tree").styles.max_height = 6 if st.chosen else 10
        self._say_count()
        self.post_message(self.Changed())

    def _say_count(self) -> None:
        st = self.picker_state
        count = len(st.chosen) - len(st.unticked & set(st.chosen))
        pasted = self.query_one("#paste", TextArea).text.strip()
        extra = " + pasted text" if pasted else ""
        if st.chosen:
            left_out = len(st.chosen) - count
            out = f", {left_out} left out" if left_out else ""
            title = f"Chosen: {count} file(s){out}{extra}  (Space unticks a file)"
        else:
            title = f"Chosen: no files yet{extra}  (Enter on a file in Browse adds it)"
        self.query_one("#chosen-title", Label).update(title)

    @on(DirectoryTree.FileSelected)
    def file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        path = Path(event.path)
        st = self.picker_state
        if path in st.chosen and path not in st.unticked:
            st.unticked.add(path)  # Enter again on a chosen file leaves it out
            self.refresh_chosen()
            self.notify(f"Left out {display_path(path, self.base)}", markup=False, timeout=2)
        else:
            self.add_paths([path])
            self.notify(f"Added {display_path(path, self.base)}", markup=False, timeout=2)

    @on(Checkbox.Changed, "#show-all")
    def toggle_all(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = "Show all files: yes" if event.value else "Show all files: no"
        tree = self.query_one("#tree", CertTree)
        tree.show_all = event.value
        tree.reload()

    @on(Input.Submitted, "#path-input")
    @on(Button.Pressed, "#add-path")
    def add_typed(self) -> None:
        field_ = self.query_one("#path-input", Input)
        found, problem = expand_typed_path(field_.value, self.base)
        self.query_one("#path-error", Label).update(problem)
        if found:
            added = self.add_paths(found)
            self.notify(f"Added {added} file(s)", markup=False, timeout=2)
            with field_.prevent(Input.Changed):
                field_.value = ""

    @on(SelectionList.SelectedChanged, "#chosen")
    def ticks_changed(self, event: SelectionList.SelectedChanged) -> None:
        selected = set(event.selection_list.selected)
        self.picker_state.unticked = {p for p in self.picker_state.chosen if str(p) not in selected}
        self._say_count()  # the counter follows an untick (issue 12 item 14)

    @on(TextArea.Changed, "#paste")
    def pasted_changed(self) -> None:
        had = "pasted text" in str(self.query_one("#chosen-title", Label).content)
        has = bool(self.query_one("#paste", TextArea).text.strip())
        if had != has:
            self.refresh_chosen()
