"""The main demo: a multi-region sensorimotor loop compiled to C++, and its labelled result.

Runs the built-in ``sensorimotor_loop`` experiment (`bioneuro.experiments.sensorimotor`:
a cortical column, pontine nuclei, a cerebellar microzone, motor thalamus and a spinal motor
pool, 3510 neurons in 14 populations, joined by named inter-region pathways) for 1.5 s with
Brian2's cpp_standalone device: spontaneous activity, then a motor command (a current step
to the pyramidal cells, 0.5-1.0 s) that travels cortex -> pons -> mossy fibres -> cerebellum
-> nuclei -> thalamus -> cortex and cortex -> motoneurons. It writes
``demo_output/sensorimotor_loop.nc`` and a raster + population-rate figure
``demo_output/sensorimotor_loop.png``, and prints a per-population summary and the mean rate
of each region before and during the command. A second run of the same command re-uses the
compiled binary from the build cache.

Usage: ``python scripts/demo.py [--experiment sensorimotor_loop] [--device cpp_standalone]
[--duration 1.5s] [--scale S] [--seed 1] [--out-dir demo_output]`` (``--scale`` applies to
experiments that take one, e.g. ``--experiment cuba``)
"""

import argparse
from pathlib import Path


def _region_rates(ds, command=(0.5, 1.0), transient=0.2):
    """Print each region's mean rate before and during the motor command window (s); the
    spontaneous window starts after the start-up `transient` (s), as in
    ``tests/test_sensorimotor_loop.py``."""
    from bioneuro.analysis import population_mean_rates

    if command[0] >= ds.attrs["duration_s"]:
        return
    start = transient if transient < command[0] else 0.0
    before = population_mean_rates(ds, start, command[0], by="region")
    during = population_mean_rates(ds, command[0], min(command[1], ds.attrs["duration_s"]),
                                   by="region")
    print(f"  region        {start:g}-{command[0]:g} s (Hz)  command (Hz)")
    for region in before.region.values:
        print(f"  {region:12s}  {float(before.sel(region=region)):15.2f}  "
              f"{float(during.sel(region=region)):12.2f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpp_standalone",
                        choices=["runtime", "cpp_standalone"])
    parser.add_argument("--experiment", default="sensorimotor_loop")
    parser.add_argument("--duration", default=None)
    parser.add_argument("--scale", type=float, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out-dir", default="demo_output")
    args = parser.parse_args(argv)

    from bioneuro.analysis.plot import summary_figure

    import bioneuro as bn
    from bioneuro.cli import summary_table
    from bioneuro.quantities import parse_quantity

    out = Path(args.out_dir)
    duration = None if args.duration is None else parse_quantity(args.duration, "--duration",
                                                                  "second")
    ds = bn.run(args.experiment, device=args.device, scale=args.scale, seed=args.seed,
                duration=duration, progress=True)
    nc = bn.save(ds, out / f"{args.experiment}.nc")
    png = out / f"{args.experiment}.png"
    summary_figure(ds, png)
    print(f"{args.experiment}: {ds.sizes['neuron']} neurons, {ds.attrs['duration_s']:g} s on "
          f"{ds.attrs['device']} (build {ds.attrs['time_build_s']:.1f} s, "
          f"run {ds.attrs['time_run_s']:.2f} s, build cache "
          f"{'hit' if ds.attrs['build_cache_hit'] else 'miss'})")
    for line in summary_table(ds):
        print("  " + line)
    _region_rates(ds)
    print(f"wrote {nc} and {png}")
    return ds


if __name__ == "__main__":
    main()
