"""TD(0) actor-critic learning with the TD error as the third factor.

The critic's value and the actor's preferences are weighted sums of a state
representation ``x`` (``value = sum_j w_j x_j``, a summed variable of a
`bioneuro.models.task_referee.td_learner` unit). When the TD error ``delta`` arrives (a
dopamine-like broadcast, Schultz, Dayan & Montague 1997) with a postsynaptic factor ``e``,
every input synapse of the unit changes once::

    w += eta * delta * e * x_pre

with ``e = 1`` for the critic (TD(0) value learning: ``V <- V + eta (r - V)`` for one
state with ``x = 1``) and ``e = 1[a chosen] - pi(a)`` for an actor unit (the policy
gradient of a softmax policy; Sutton & Barto 2018, section 13.5; Fremaux, Sprekeler &
Gerstner 2013 use the same TD-error-modulated form in continuous time with spiking
neurons).
"""

from bioneuro.models.plasticity.rule import register_rule

from bioneuro.spec import Parameter, Reference, SynapseModel

__all__ = ["td_rule", "td_actor_critic", "FREMAUX_2013"]

FREMAUX_2013 = Reference("Fremaux, Sprekeler & Gerstner (2013) Reinforcement learning using a "
                         "continuous time actor-critic framework with spiking neurons, PLoS "
                         "Comput Biol 9:e1003024", "10.1371/journal.pcbi.1003024")


def td_rule(eta=0.1, name="td_actor_critic"):
    """TD-error-modulated synapse of an actor or critic unit (dimensionless weights).

    Parameters
    ----------
    eta : float
        Learning rate (the weight change per unit TD error, eligibility and input).
    name : str
    """
    return SynapseModel(
        name=name,
        model="w : {weight_unit}\n{target}_post = w*x_pre : {target_unit} (summed)",
        on_pre="",
        on_post="w += eta*td_post*eligibility_post*x_pre",
        parameters={"eta": Parameter("1", eta, "learning rate", low=0, shared=True)},
        method="euler",
        description="TD(0) actor-critic synapse: value = sum w x; w += eta delta e x when "
                    "the TD error delta arrives.",
        references=(
            Reference("Schultz, Dayan & Montague (1997) A neural substrate of prediction "
                      "and reward, Science 275:1593", "10.1126/science.275.5306.1593"),
            FREMAUX_2013),
        tags=("plasticity", "three-factor", "reward"),
    )


td_actor_critic = register_rule(td_rule())
