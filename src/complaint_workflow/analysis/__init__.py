"""Optional analysis tools (``pip install complaint-workflow[analysis]``): numpy lives here only.

The core library never imports this package.
"""

from .vectorised import VectorCalendar

__all__ = ["VectorCalendar"]
