"""Region and circuit templates: functions returning `bioneuro.spec.Circuit` specs.

Every module registers its templates when it is imported (``bioneuro list regions``
imports them all; `bioneuro.registry` imports only the module that defines a name). The
names below are attributes of this package, imported on first use.
"""

from bioneuro.lazy_exports import lazy_exports

_EXPORTS = {**dict.fromkeys(["cuba", "coba", "cobahh"], "bioneuro.regions.balanced_networks"),
            "combine": "bioneuro.regions.composition"}

__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
