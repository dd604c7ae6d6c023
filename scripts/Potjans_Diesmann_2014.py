"""Potjans & Diesmann (2014) cortical microcircuit: layer-specific rates vs the NEST reference.

Runs the microcircuit (77,169 neurons, ~0.3 billion synapses at ``--scale 1``) on Brian2's
cpp_standalone device, prints the mean rate of each population (after a 200 ms transient)
next to the rates of the full-scale NEST simulation (``full_mean_rates`` of the NEST
example, PD14 Fig. 6), and writes the dataset (netCDF) and a raster + population-rate
figure. Below ``--scale 1`` the in-degrees shrink with the sizes (unless ``--k-scale`` says
otherwise) and the van Albada et al. (2015) DC compensation keeps the mean input.

At full scale the network has ~0.3 billion synapses; Brian2 keeps pre/post indices, weight
and delay of each (roughly 30-40 bytes): measured peak 10.0 GB (seed 1, 1.2 s, 2026-11-23;
rates 0.87-1.07 times NEST's, 72 s of CPU for the run on one core). The build compiles ~330
code objects whatever the scale (5-15 min on a 2-core machine, 27 min at low priority on a
loaded one); use ``--threads`` on a many-core machine for the run.

Usage: ``python scripts/Potjans_Diesmann_2014.py [--scale 1] [--k-scale K] [--duration 1.2]
[--background poisson|dc] [--threads 1] [--seed 1] [--out-dir pd14_output]``

References: Potjans & Diesmann (2014) Cereb Cortex 24:785, DOI 10.1093/cercor/bhs358;
van Albada, Helias & Diesmann (2015) PLoS Comput Biol 11:e1004490,
DOI 10.1371/journal.pcbi.1004490.
"""

import argparse
from pathlib import Path

TRANSIENT = 0.2  # s discarded at the start (onset transient)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="factor on population sizes")
    parser.add_argument("--k-scale", type=float, default=None,
                        help="factor on in-degrees (default: --scale)")
    parser.add_argument("--duration", type=float, default=1.2, help="simulated seconds")
    parser.add_argument("--background", default="poisson", choices=["poisson", "dc"])
    parser.add_argument("--threads", type=int, default=1, help="OpenMP threads")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out-dir", default="pd14_output")
    parser.add_argument("--cache-dir", default=None, help="standalone build cache")
    args = parser.parse_args(argv)
    if not args.duration > TRANSIENT:
        parser.error(f"--duration must exceed the {TRANSIENT} s transient")

    from bioneuro.analysis.plot import summary_figure
    from bioneuro.analysis.rates import population_mean_rates
    from bioneuro.regions.potjans_diesmann import FULL_SCALE_RATES, POPULATIONS
    from brian2.units import second

    import bioneuro as bn
    from bioneuro.experiments.cortex import microcircuit

    exp = microcircuit(args.scale, duration=args.duration * second, seed=args.seed,
                       k_scale=args.k_scale, background=args.background)
    ds = bn.run(exp, device="cpp_standalone", threads=args.threads, cache_dir=args.cache_dir,
                progress=True)
    out = Path(args.out_dir)
    bn.save(ds, out / "potjans_diesmann.nc")
    summary_figure(ds, out / "potjans_diesmann.png")
    rates = population_mean_rates(ds, t_start=TRANSIENT)
    print(f"PD14 microcircuit: {ds.sizes['neuron']} neurons, N x {args.scale:g}, "
          f"K x {args.k_scale or args.scale:g}, {args.background} background, "
          f"{args.duration:g} s (build {ds.attrs['time_build_s']:.1f} s, "
          f"run {ds.attrs['time_run_s']:.1f} s)")
    print(f"{'population':<11}{'neurons':>9}{'rate (Hz)':>11}{'NEST (Hz)':>11}{'ratio':>8}")
    for pop in POPULATIONS:
        n = int((ds["population"] == pop).sum())
        rate = float(rates.sel(population=pop))
        ref = float(FULL_SCALE_RATES.sel(population=pop))
        print(f"{pop:<11}{n:>9}{rate:>11.3f}{ref:>11.3f}{rate / ref:>8.2f}")
    print(f"wrote {out / 'potjans_diesmann.nc'} and {out / 'potjans_diesmann.png'}")


if __name__ == "__main__":
    main()
