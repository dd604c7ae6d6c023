"""Region and circuit templates: functions returning `bioneuro.spec.Circuit` specs.

Importing this package registers the templates (``bioneuro list regions``).
"""

from bioneuro.regions import brainstem  # noqa: F401  (registers the brainstem templates)
from bioneuro.regions import cortex, multi_area, potjans_diesmann  # noqa: F401  (registers them)
from bioneuro.regions.balanced_networks import coba, cobahh, cuba
from bioneuro.regions.composition import combine

__all__ = ["cuba", "coba", "cobahh", "combine"]
