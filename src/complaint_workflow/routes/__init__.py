"""Every route of the procedure as an explicit ``transitions`` machine, declared as data.

=============  ================================================================
``intake``     receipt, the CST, the gates (six months, abusive, repeated …)
``procedure``  the full procedure's main track: contact to close
``court``      the court notification track beside it
``child``      a child's face-to-face meeting
``quick_fix``  a quick fix by a local manager
``outside``    a written response outside the procedure
``feedback``   a feedback form (see :mod:`complaint_workflow.feedback`)
``compliment`` a compliment
=============  ================================================================
"""

from __future__ import annotations

from typing import Any

from .beside import OUTSIDE, QUICK_FIX
from .intake import INTAKE
from .machine import Route, RouteDefinitionError
from .procedure import PROCEDURE
from .tracks import CHILD_MEETING, COURT

__all__ = ["COMPLAINT_ROUTES", "ROUTES", "Route", "RouteDefinitionError"]

COMPLAINT_ROUTES: dict[str, Route[Any]] = {
    r.name: r for r in (INTAKE, PROCEDURE, COURT, CHILD_MEETING, QUICK_FIX, OUTSIDE)
}
"""The routes a complaint runs on, by name."""

ROUTES = COMPLAINT_ROUTES
