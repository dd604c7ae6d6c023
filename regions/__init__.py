"""Region and circuit templates: functions returning `bioneuro.spec.Circuit` specs.

Importing this package registers the templates (``bioneuro list regions``).
"""

from bioneuro.regions.balanced_networks import coba, cobahh, cuba
from bioneuro.regions.cortex import cortical_column
from bioneuro.regions.multi_area import multi_area
from bioneuro.regions.potjans_diesmann import potjans_diesmann

__all__ = ["cuba", "coba", "cobahh", "cortical_column", "potjans_diesmann", "multi_area"]
