"""Region and circuit templates: functions returning `bioneuro.spec.Circuit` specs.

Importing this package registers the templates (``bioneuro list regions``).
"""

# modules, not their same-named functions (which would hide the modules); importing them
# registers their templates
from bioneuro.regions import brainstem, cerebellum, cortex, multi_area, potjans_diesmann  # noqa: F401
from bioneuro.regions import decision as _decision  # noqa: F401
from bioneuro.regions import rate_rnn as _rate_rnn  # noqa: F401
from bioneuro.regions.balanced_networks import coba, cobahh, cuba
from bioneuro.regions.composition import combine

__all__ = ["cuba", "coba", "cobahh", "combine"]
