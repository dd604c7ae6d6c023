"""Region and circuit templates: functions returning `bioneuro.spec.Circuit` specs.

Importing this package registers the templates (``bioneuro list regions``).
"""

# modules, not their same-named functions (which would hide the modules); importing them
# registers their templates
from bioneuro.regions import (  # noqa: F401
    brainstem,
    cerebellum,
    cortex,
    multi_area,
    potjans_diesmann,
    rate_rnn,
)
from bioneuro.regions.balanced_networks import coba, cobahh, cuba
from bioneuro.regions.composition import combine

__all__ = ["cuba", "coba", "cobahh", "combine"]
