"""A simulation that diverges is reported with population, variable and time, and no
result file is written."""

import subprocess
import sys

import pytest

import bioneuro as bn

# dv/dt = v/tau grows as v0*exp(t/tau): 1 mV * exp(t/1 ms) overflows float64 at
# t = ln(1.8e308 / 1e-3) ms ~ 716.7 ms
UNSTABLE_YAML = """
name: runaway
duration: 1 s
dt: 0.1 ms
circuit:
  name: runaway
  populations:
    - name: R
      size: 3
      model:
        name: unstable
        equations: "dv/dt = v/tau : volt"
        parameters:
          tau: {unit: ms, default: 1 ms, description: growth time constant}
        method: exact
        initial: {v: 1 mV}
"""


def _check(message):
    assert "population 'R'" in message and "variable v" in message
    t_ms = float(message.split("at t = ")[1].split(" ms")[0])
    assert 700 < t_ms <= 730  # checked every 10 ms


def test_runtime_divergence_names_population_variable_and_time():
    exp = bn.Experiment.from_yaml(UNSTABLE_YAML)
    with pytest.raises(bn.SimulationError) as err:
        bn.run(exp, device="runtime")
    _check(str(err.value))


@pytest.mark.slow
def test_standalone_divergence_from_cli_leaves_no_file(chdir_tmp, build_cache):
    (chdir_tmp / "runaway.yaml").write_text(UNSTABLE_YAML)
    proc = subprocess.run([sys.executable, "-m", "bioneuro", "run", "runaway.yaml",
                           "--device", "cpp_standalone", "--cache-dir", str(build_cache),
                           "-o", "out.nc"], capture_output=True, text=True)
    assert proc.returncode == 1
    _check(proc.stderr)
    assert not list(chdir_tmp.glob("*.nc")) and not list(chdir_tmp.glob(".out.nc*"))
