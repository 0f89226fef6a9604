"""Keep Python's full garbage collections short while a big pile is on screen (issue 12 item 18).

A full (generation 2) collection walks every object the process tracks: after the imports and a
1000-certificate Inspect that is some 200,000 objects and 100-160 ms, a pause that lands on any
key press. What lives on (imported modules, the inspect job's result, which holds no reference
cycles, the filled table) is moved out of the collector's walk with gc.freeze(); it is still
freed by reference counting when dropped. A frozen reference cycle would never be collected, so
`let_go()` gives everything back to the collector when the Inspect results close, and the app's
first freeze (after its imports) starts from a full collection.
"""

from __future__ import annotations

import gc


def start_long_lived() -> None:
    """After the app's imports: collect everything once, then keep it out of later walks."""
    gc.unfreeze()  # what an earlier app in this process kept (tests run many)
    gc.collect()
    gc.freeze()


def keep_long_lived() -> None:
    """Collect the young generations, then leave every object alive now out of later full
    collections (they walk only what is made from here on)."""
    gc.collect(1)
    gc.freeze()


def let_go() -> None:
    """Give what was kept back to the collector (the next full collection walks it once)."""
    gc.unfreeze()
