"""The ``bioneuro`` command line: list, run, info, and its handling of bad input."""

import subprocess
import sys

import pytest

import bioneuro as bn


def bioneuro(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "bioneuro", *args], capture_output=True,
                          text=True, cwd=cwd)


def test_list_every_catalogue():
    proc = bioneuro("list")
    assert proc.returncode == 0
    for word in ("models:", "lif_curr_exp", "hh_traub_cond_exp", "experiments:", "cuba",
                 "regions:", "synapses:", "static"):
        assert word in proc.stdout
    only = bioneuro("list", "experiments")
    assert "cobahh" in only.stdout and "lif_curr_exp" not in only.stdout


def test_run_writes_file_and_prints_summary(chdir_tmp):
    proc = bioneuro("run", "cuba", "--device", "runtime", "--scale", "0.05",
                    "--duration", "100ms", "--seed", "3", "--set", "E.tau_m=25 ms",
                    "-o", "small.nc", cwd=chdir_tmp)
    assert proc.returncode == 0, proc.stderr
    assert "wrote small.nc" in proc.stdout
    header = [line for line in proc.stdout.splitlines() if "rate (Hz)" in line]
    assert header and "CV ISI" in header[0]
    ds = bn.load(chdir_tmp / "small.nc")
    assert ds.attrs["seed"] == 3 and ds.attrs["duration_s"] == pytest.approx(0.1)
    spec = bn.Experiment.from_dict(__import__("json").loads(ds.attrs["experiment"]))
    assert float(spec.circuit.population("E").parameters["tau_m"].value) == pytest.approx(0.025)
    info = bioneuro("info", "small.nc", cwd=chdir_tmp)
    assert info.returncode == 0
    for word in ("populations:", "spike_time", "provenance:", "brian2_version", "seed"):
        assert word in info.stdout


def test_summary_table_columns_fit_long_population_names():
    """Columns stay aligned when a population name is longer than the default width (the
    demo's ``cerebellum_io_aff`` pushed its row's numbers one column to the right)."""
    import json

    from analysis_data import spikes_dataset

    from bioneuro.cli import summary_table

    pops = ["E"] * 2 + ["cerebellum_io_aff"] * 3
    ds = spikes_dataset({0: [0.1, 0.2], 2: [0.1, 0.3, 0.6], 3: [0.5]}, pops, duration=1.0)
    ds.attrs["populations"] = json.dumps({"E": 2, "cerebellum_io_aff": 3})
    lines = summary_table(ds)
    assert len(lines) == 3 and len({len(line) for line in lines}) == 1
    # 4 spikes of 3 neurons in 1 s; neuron 2's intervals 0.2, 0.3 s: CV 0.05 / 0.25
    assert lines[2].split() == ["cerebellum_io_aff", "3", "1.33", "0.20"]
    assert lines[1].split()[:3] == ["E", "2", "1.00"]


def test_arg_values_are_converted_as_the_factory_defaults():
    """``--arg`` text becomes what the factory's defaults are: a quantity in the default's
    unit, an int, a bool, a tuple; text for a string; a quantity where the default is None."""
    from brian2 import ms

    from bioneuro import registry
    from bioneuro.simulate import resolve_experiment

    rnn = registry.get("experiments", "rnn_decision", "experiment")
    given = resolve_experiment("rnn_decision", arguments={
        "network": "ei_rnn", "n_trials": "4", "coherences": "-0.2, 0.2",
        "record_hidden": "false", "noise": "0.05"})
    direct = rnn(network="ei_rnn", n_trials=4, coherences=(-0.2, 0.2), record_hidden=False,
                 noise=0.05)
    assert given.to_dict() == direct.to_dict()
    assert [pop.name for pop in given.circuit.populations] == ["hidden_E", "hidden_I",
                                                                "readout"]
    eyeblink = registry.get("experiments", "eyeblink", "experiment")
    given = resolve_experiment("eyeblink", scale=1.0, arguments={
        "isi": "300 ms", "second_isi": "0.5 s", "n_trials": "3"})
    assert given.to_dict() == eyeblink(isi=300 * ms, second_isi=500 * ms, n_trials=3,
                                       scale=1.0).to_dict()
    # a region template takes its factory's arguments too
    assert resolve_experiment("cortex", arguments={"seed": "7"}).seed == 7


def test_run_with_factory_argument(chdir_tmp):
    """``bioneuro run rnn_decision --arg network=ei_rnn`` runs the Dale's-law network."""
    proc = bioneuro("run", "rnn_decision", "--device", "runtime", "--arg", "network=ei_rnn",
                    "--arg", "n_trials=4", "--arg", "n_hidden=10", "-o", "rnn.nc", "-q",
                    cwd=chdir_tmp)
    assert proc.returncode == 0, proc.stderr
    ds = bn.load(chdir_tmp / "rnn.nc")
    sizes = __import__("json").loads(ds.attrs["populations"])
    # n_hidden 10 split 4:1 by Dale's law (the default ctrnn has one 'hidden' population)
    assert {k: sizes[k] for k in ("hidden_E", "hidden_I", "readout")} == \
        {"hidden_E": 8, "hidden_I": 2, "readout": 1}, sizes
    assert "hidden" not in sizes


def test_python_m_and_console_script_agree():
    from pathlib import Path

    script = Path(sys.executable).parent / "bioneuro"  # installed beside the interpreter
    assert script.exists()
    assert subprocess.run([str(script), "list", "models"], capture_output=True,
                          text=True).stdout == bioneuro("list", "models").stdout


@pytest.mark.parametrize("args, message", [
    (["run", "cubx"], "did you mean 'cuba'"),
    (["run", "cuba", "--set", "E.tau_mm=5 ms"], "did you mean 'tau_m'"),
    (["run", "cuba", "--set", "E.tau_m=5 mV"], "expected a quantity in ms"),
    (["run", "cuba", "--set", "E.tau_m=-5 ms"], "within [0.01 ms, inf]"),
    (["run", "cuba", "--set", "EE.connectivity.p=1.5"], "a probability in [0, 1]"),
    (["run", "cuba", "--set", "E.size=0"], "an integer >= 1"),
    (["run", "cuba", "--set", "X.tau_m=5 ms"], "--set X.tau_m: got 'X'; known: E, EE, EI"),
    (["run", "cuba", "--duration", "1 mV"], "--duration"),
    (["run", "rnn_decision", "--arg", "netwrk=ei_rnn"], "did you mean 'network'"),
    (["run", "rnn_decision", "--arg", "n_trials=many"],
     "rnn_decision argument n_trials: got 'many'; an integer"),
    (["run", "eyeblink", "--arg", "isi=3 mV"], "eyeblink argument isi: got '3 mV'; expected"),
    (["run", "cuba", "--arg", "scale"], "--arg: got 'scale'; NAME=VALUE"),
    (["run", "bad.yaml", "--arg", "n=1"], "factory arguments apply to built-in experiments"),
    (["run", "bad.yaml"], "valid YAML"),
    (["run", "cuba", "--device", "runtime", "--build-only"], "build_only"),
    (["info", "missing.nc"], "no such result file"),
])
def test_bad_input_exits_nonzero_without_output(chdir_tmp, args, message):
    (chdir_tmp / "bad.yaml").write_text("name: [oops\n")
    proc = bioneuro(*args, "-o", "out.nc", cwd=chdir_tmp) if args[0] == "run" else \
        bioneuro(*args, cwd=chdir_tmp)
    assert proc.returncode == 2 if args[0] == "run" else proc.returncode != 0
    assert message in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert not list(chdir_tmp.glob("*.nc")) and not list(chdir_tmp.glob(".*.tmp"))


@pytest.mark.slow
def test_failed_compile_from_cli(chdir_tmp):
    """A Brian2 preference file adding a missing header breaks the C++ build."""
    (chdir_tmp / "brian_preferences").write_text(
        "codegen.cpp.headers = ['\"no_such_header_bioneuro_cli.h\"']\n")
    proc = bioneuro("run", "cuba", "--scale", "0.02", "--duration", "10ms",
                    "--cache-dir", str(chdir_tmp / "cache"), "-o", "out.nc", cwd=chdir_tmp)
    assert proc.returncode == 1
    assert "compilation failed" in proc.stderr
    assert "no_such_header_bioneuro_cli.h" in proc.stderr
    assert "build directory:" in proc.stderr
    assert not (chdir_tmp / "out.nc").exists()
