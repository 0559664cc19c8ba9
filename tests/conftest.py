"""Hypothesis profiles: ``dev`` (fast, the default) and ``thorough`` (selected in .ci/run).

Choose one with ``CW_HYPOTHESIS_PROFILE=thorough``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile(
    "thorough",
    max_examples=600,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("mutation", max_examples=40, deadline=None, phases=[Phase.generate])
settings.load_profile(os.environ.get("CW_HYPOTHESIS_PROFILE", "dev"))
