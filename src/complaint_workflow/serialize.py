"""Former name of :mod:`complaint_workflow.history`, kept so existing imports still work.

Use :mod:`complaint_workflow.history`: it holds the one strict JSON codec.
"""

from __future__ import annotations

from .history import SCHEMA, SCHEMA_VERSION, event_from_dict, event_to_dict

__all__ = ["SCHEMA", "SCHEMA_VERSION", "event_from_dict", "event_to_dict"]
