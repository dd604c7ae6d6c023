"""The main demo: run the CUBA benchmark network as compiled C++ and look at the result.

Runs the Vogels-Abbott / Brette et al. (2007) CUBA network (4000 LIF neurons) for 1 s with
Brian2's cpp_standalone device, writes ``demo_output/cuba.nc`` and a raster + population-rate
figure ``demo_output/cuba.png``, and prints a per-population summary. A second run of the
same command re-uses the compiled binary from the build cache.

Usage: ``python scripts/demo.py [--device cpp_standalone] [--duration 1s] [--scale 1]
[--seed 1] [--out-dir demo_output]``
"""

import argparse
from pathlib import Path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpp_standalone",
                        choices=["runtime", "cpp_standalone"])
    parser.add_argument("--duration", default="1 s")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out-dir", default="demo_output")
    args = parser.parse_args(argv)

    from bioneuro.analysis.plot import summary_figure

    import bioneuro as bn
    from bioneuro.cli import summary_table
    from bioneuro.quantities import parse_quantity

    out = Path(args.out_dir)
    ds = bn.run("cuba", device=args.device, scale=args.scale, seed=args.seed,
                duration=parse_quantity(args.duration, "--duration", "second"), progress=True)
    nc = bn.save(ds, out / "cuba.nc")
    png = out / "cuba.png"
    summary_figure(ds, png)
    print(f"CUBA network, {ds.sizes['neuron']} neurons, {ds.attrs['duration_s']:g} s on "
          f"{ds.attrs['device']} (build {ds.attrs['time_build_s']:.1f} s, "
          f"run {ds.attrs['time_run_s']:.2f} s, build cache "
          f"{'hit' if ds.attrs['build_cache_hit'] else 'miss'})")
    for line in summary_table(ds):
        print("  " + line)
    print(f"wrote {nc} and {png}")
    return ds


if __name__ == "__main__":
    main()
