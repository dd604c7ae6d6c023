"""Gallery of the cell-type catalogue: the standard characterisation of every cell type.

Characterises every registered cell type (or the ones named) in ONE build with
`bioneuro.characterise` (current-step sweep -> f-I curve, step responses, one PSP per synaptic
channel), writes one figure and one netCDF file per cell into the output folder, and prints
each cell's region, the observable it reproduces and its measured f-I range.

Usage: ``python scripts/cell_gallery.py [CELL ...] [--device cpp_standalone]
[--n-amplitudes 9] [--out-dir gallery_output] [--format png]``
"""

import argparse
from pathlib import Path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cells", nargs="*", help="cell names (default: every cell type)")
    parser.add_argument("--device", default="cpp_standalone",
                        choices=["runtime", "cpp_standalone"])
    parser.add_argument("--n-amplitudes", type=int, default=9)
    parser.add_argument("--out-dir", default="gallery_output")
    parser.add_argument("--format", default="png", choices=["png", "svg", "pdf"])
    parser.add_argument("--cache-dir", help="build cache (default: bioneuro's)")
    args = parser.parse_args(argv)

    import bioneuro.models  # noqa: F401  (registers the cell types)
    from bioneuro.analysis.characterisation import plot_characterisation

    import bioneuro as bn
    from bioneuro import registry
    from bioneuro.characterise import characterise

    names = args.cells or sorted(registry.entries("cells"))
    results = characterise(names, device=args.device, n_amplitudes=args.n_amplitudes,
                           cache_dir=args.cache_dir)
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, ds in results.items():
        cell = registry.get("cells", name)
        bn.save(ds, out / f"{name}.nc")
        plot_characterisation(ds, out / f"{name}.{args.format}")
        rates = ds["fi_rate"].values
        print(f"{name} ({cell.region}; model {cell.model.name}): f-I {rates.min():.0f}-"
              f"{rates.max():.0f} Hz over {ds.sizes['amplitude']} amplitudes")
        print(f"    reproduces: {cell.reproduces}")
    print(f"wrote {len(results)} figures and datasets to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
