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
