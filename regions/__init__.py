"""Region and circuit templates: functions returning `bioneuro.spec.Circuit` specs.

Importing this package registers the templates (``bioneuro list regions``).
"""

from bioneuro.regions import cerebellum  # noqa: F401  (registers the cerebellum template)
from bioneuro.regions.balanced_networks import coba, cobahh, cuba

__all__ = ["cuba", "coba", "cobahh"]
