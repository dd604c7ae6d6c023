"""Stimulus protocols (specs of inputs applied in an experiment).

`bioneuro.spec.PoissonInput` is the first building block; currents, spike trains, pairing
and conditioning protocols are added here.
"""

from bioneuro.registry import register
from bioneuro.spec import PoissonInput

__all__ = ["PoissonInput"]

register("protocols", "poisson_input", PoissonInput)
