"""Keep Python's full garbage collections short while a big pile is on screen (issue 12 item 18).

A full (generation 2) collection walks every object the process tracks: after the imports and a
1000-certificate Inspect that is some 200,000 objects and 100-160 ms, a pause that lands on any
key press. What lives on (imported modules, the inspect job's result, which holds no reference
cycles) is moved out of the collector's walk with gc.freeze(); it is still freed by reference
counting when the flow drops it. Young garbage is collected first, so no cycle is kept for good.
"""

from __future__ import annotations

import gc


def keep_long_lived() -> None:
    """Collect the young generations, then leave every object alive now out of later full
    collections (they walk only what is made from here on)."""
    gc.collect(1)
    gc.freeze()
