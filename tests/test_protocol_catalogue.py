"""The protocol catalogue: every block round-trips through YAML, is listed by the CLI and
combines with a region from the command line and from YAML."""

import subprocess
import sys

import numpy as np
import pytest
from bioneuro.protocols import (
    BLOCKS,
    ActivityReward,
    BurstSpikes,
    CorrelatedPoisson,
    CurrentRamp,
    CurrentStep,
    DecisionTask,
    Drive,
    EyeblinkConditioning,
    ImageEncoding,
    InhomogeneousPoisson,
    NoisyCurrent,
    PairedPulse,
    PoissonSpikes,
    PopulationCode,
    PulseTrainCurrent,
    RatePatterns,
    RegularSpikes,
    RewardSchedule,
    SineCurrent,
    SpikeTimes,
    STDPPairing,
    TaskSequence,
    Tetanus,
    ThetaBurst,
    TrialTemplate,
    WorkingMemoryTask,
)
from brian2.units import Hz, ms

import bioneuro as bn
from bioneuro.spec import Experiment

EXAMPLES = [
    CurrentStep("step", "E", {"kind": "linspace", "start": "0 pA", "stop": "50 pA"}),
    CurrentRamp("ramp", "E", "20 pA", "0 ms", "50 ms"),
    SineCurrent("sine", "E", "10 pA", "8 Hz"),
    PulseTrainCurrent("pulses", "E", "20 pA", "100 Hz", "2 ms", 3),
    NoisyCurrent("noise", "E", "0 pA", "5 pA", "5 ms"),
    PoissonSpikes("poisson", 5, "5 Hz", drive=Drive("E", "e", "1 pA")),
    InhomogeneousPoisson("table", 3, [1.0, 2.0] * Hz, "20 ms"),
    CorrelatedPoisson("corr", 4, "5 Hz", correlation=0.2),
    RegularSpikes("regular", 2, "20 Hz"),
    BurstSpikes("burst", 1, "5 Hz", 3, "100 Hz"),
    SpikeTimes("explicit", [[1.0, 2.0] * ms, [3.0] * ms]),
    ImageEncoding("image", np.eye(3), presentation="50 ms", start="370 ms"),
    PopulationCode("code", 8, [0.2], 0, 1, 0.2, presentation="20 ms", start="350 ms"),
    RewardSchedule("reward", ["5 ms"], Drive("E", "e", "1 pA")),
    ActivityReward("earned", "E", 5, Drive("I", "e", "1 pA")),
    RatePatterns("patterns", [[1.0, -1.0], [0.5, 2.0]] * Hz, "10 ms"),
    TrialTemplate("template", {"cue": {"size": 2}},
                  [{"name": "on", "duration": "5 ms", "rates": {"cue": "r"}}],
                  {"a": {"r": "10 Hz"}, "b": {"r": "20 Hz"}}, start="450 ms"),
    TaskSequence("sequence", [
        STDPPairing("pairing", "5 ms", "50 Hz", 2),
        PairedPulse("ppf", ["10 ms"], trial_interval="20 ms"),
        Tetanus("tetanus", "100 Hz", "10 ms", 1, "20 ms"),
        ThetaBurst("tbs", bursts_per_train=1, train_interval="200 ms"),
        EyeblinkConditioning("eyeblink", 1, "20 ms", "5 ms", "5 ms", "5 ms"),
        DecisionTask("decision", (10.0,), 1, 5, fixation="5 ms", stimulus="10 ms",
                     response="0 ms"),
        WorkingMemoryTask("memory", 8, (90.0,), 1, fixation="5 ms", cue="5 ms",
                          delay="10 ms", response="0 ms"),
    ]),
]


def _cuba(protocol):
    from bioneuro.experiments import cuba

    return cuba(scale=0.02, duration=500 * ms).replace(protocol=tuple(protocol))


def test_every_block_has_an_example():
    kinds = {b.kind for b in EXAMPLES} | {b.kind for b in EXAMPLES[-1].blocks}
    assert kinds == {b.kind for b in BLOCKS}


def test_every_block_round_trips_through_yaml(tmp_path):
    exp = _cuba(EXAMPLES)
    path = tmp_path / "all.yaml"
    path.write_text(exp.to_yaml())
    again = Experiment.from_file(path)
    assert again.content_hash() == exp.content_hash()
    assert again.to_dict() == exp.to_dict()


def test_cli_lists_protocols_and_runs_one_on_a_region(chdir_tmp):
    def bioneuro(*args):
        return subprocess.run([sys.executable, "-m", "bioneuro", *args], capture_output=True,
                              text=True, cwd=chdir_tmp)

    listed = bioneuro("list", "protocols")
    for kind in ("current_step", "stdp_pairing", "eyeblink_conditioning", "decision_task"):
        assert kind in listed.stdout
    proc = bioneuro("run", "cuba", "--device", "runtime", "--scale", "0.02", "--duration",
                    "60ms", "--protocol", "regular_spikes", "--set", "regular_spikes.size=2",
                    "--set", "regular_spikes.rate=100Hz", "--set",
                    "regular_spikes.drive.population=E", "--set",
                    "regular_spikes.drive.target=e", "--set",
                    "regular_spikes.drive.weight=5pA", "-o", "out.nc", "-q")
    assert proc.returncode == 0, proc.stderr
    ds = bn.load(chdir_tmp / "out.nc")
    times = ds["spike_time"].values[ds["population"].values[ds["spike_neuron"].values]
                                    == "regular_spikes"]
    np.testing.assert_allclose(np.unique(times), np.arange(6) * 10e-3, atol=1e-12)


@pytest.mark.parametrize("protocol, settings, message", [
    ("current_step", {"current_step.population": "E"}, "missing: amplitude"),
    ("current_stp", {}, "did you mean 'current_step'"),
    ("current_step", {"current_step.population": "E", "current_step.amplitude": "1 nS"},
     "protocol.current_step.amplitude"),
    ("current_step", {"current_step.population": "X", "current_step.amplitude": "1 pA"},
     "protocol.current_step.population: got 'X'"),
])
def test_protocol_settings_errors_name_the_field(protocol, settings, message):
    from bioneuro.simulate import add_protocols

    with pytest.raises(bn.SpecError, match=message):
        add_protocols(_cuba([]), [protocol], settings)


def test_protocol_settings_and_shortcuts():
    from bioneuro.simulate import add_protocols, apply_settings

    exp, rest = add_protocols(_cuba([]), ["current_step"], {
        "current_step.population": "E", "current_step.amplitude": "5 pA", "E.tau_m": "25 ms"})
    assert rest == {"E.tau_m": "25 ms"}
    exp = apply_settings(exp, {"current_step.amplitude": "7 pA"})
    assert exp.protocol[0].amplitude.to_dict() == "7.0 pA"


@pytest.mark.parametrize("block", EXAMPLES, ids=lambda b: b.kind)
def test_dict_form_equals_the_block(block):
    from bioneuro.stimulation import protocol_item

    again = protocol_item(block.to_dict())
    assert again == block and hash(again) == hash(block)
    assert again != block.replace(name="other")
