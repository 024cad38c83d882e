"""python -m bench [--parts compare,sql,scale,catalogue,formats] [--rows N] [--sql-rows N] [--scale-rows N]
                          [--catalogue-rows N] [--formats-rows N] [--learning-curve] [--seed N] [--out DIR]"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench import learning_curve
from bench.builds import REPO_ROOT, run_build, run_sql_layers
from bench.comparison import compare
from bench.data import catalogue_file, synthetic_file, synthetic_files
from bench.formats import FORMATS, run_formats
from bench.notebook import run_notebook
from bench.results import Results, Stage, machine, markdown, stage_total, write_results
from warehouse.synthetic_catalogue import CATALOGUE_VARS

PARTS = ("compare", "sql", "scale", "catalogue", "formats")
# measured on the 2-core machines: what each part costs per artist, to say up front how long it takes
# (formats: estimated from the SQL layers' load and staging, three times over, not yet measured)
# (seconds, seconds per artist) of each part on a quiet 2-core machine, fitted to the latest figures:
# the whole build is ~100 s of fits that a sample caps, then linear in the artists it scores
ESTIMATED_SECONDS = {"compare": (0.0, 2.6e-3), "sql": (0.0, 1.2e-5), "scale": (97.0, 8.1e-5),
                     "catalogue": (97.0, 9.0e-5), "formats": (0.0, 1.0e-5)}
CURVE_SIZES = [10_000, 30_000, 70_000]
RATIO_TARGET = 0.6
SCALE_TARGETS = {1_000_000: (240, None), 10_000_000: (900, 12 * 1024)}
SQL_TARGETS = (60, 8 * 1024)
# a catalogue export (two extra attributes, an extra measure, undisclosed values) keeps the whole-build target
CATALOGUE_TARGET = 240


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=sys.modules[__package__].__doc__)
    parser.add_argument("--parts", default=",".join(PARTS), help=f"comma-separated parts ({', '.join(PARTS)})")
    parser.add_argument("--rows", type=int, default=100_000, help="artists for the comparison with the notebook")
    parser.add_argument("--sql-rows", type=int, default=10_000_000, help="artists for the SQL layers alone")
    parser.add_argument("--scale-rows", type=int, default=1_000_000, help="artists for the whole build at scale")
    parser.add_argument("--catalogue-rows", type=int, default=1_000_000,
                        help="artists of a catalogue export (warehouse/synthetic_catalogue.py) built whole")
    parser.add_argument("--formats-rows", type=int, default=10_000_000,
                        help=f"artists for the load + staging of each input format ({', '.join(FORMATS)})")
    parser.add_argument("--learning-curve", action="store_true",
                        help=f"CV R2 against training rows ({', '.join(map(str, CURVE_SIZES))}) on the scale build")
    parser.add_argument("--seed", type=int, default=42, help="the generator's seed")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "bench" / "out", help="folder for data and results")
    return parser.parse_args(argv)


def estimated_seconds(part: str, rows: int) -> float:
    fixed, per_row = ESTIMATED_SECONDS[part]
    return fixed + per_row * rows


def sizes(args: argparse.Namespace, parts: list[str]) -> dict[str, int]:
    rows = {"compare": args.rows, "sql": args.sql_rows, "scale": args.scale_rows, "catalogue": args.catalogue_rows,
            "formats": args.formats_rows}
    return {part: rows[part] for part in parts}


def run_compare(rows: int, csv_path: Path, out: Path, results: Results) -> None:
    print(f"bench: the notebook's code on {rows:,} artists...", flush=True)
    notebook = run_notebook(csv_path, rows, results)
    print(f"bench: the warehouse build on {rows:,} artists (FEATURE_SETS=notebook)...", flush=True)
    db = run_build("warehouse", csv_path, rows, out / "compare" / "dei.duckdb", results, "--feature-sets", "notebook")
    if db is not None:
        results.checks = compare(notebook, db)
    notebook_total, warehouse_total = stage_total(results, "notebook"), stage_total(results, "warehouse")
    if notebook_total and warehouse_total:
        results.summary["ratio_warehouse_to_notebook"] = round(warehouse_total.seconds / notebook_total.seconds, 3)
        results.summary["ratio_target"] = RATIO_TARGET
    if results.checks:
        results.summary["numbers_match"] = all(check.passed for check in results.checks)


def within(stage: Stage | None, seconds: float, peak_mb: float | None) -> bool | None:
    if stage is None:
        return None
    return stage.seconds < seconds and (peak_mb is None or (stage.peak_mb or 0) < peak_mb)


def run_scale(rows: int, csv_path: Path, out: Path, results: Results, with_curve: bool) -> None:
    print(f"bench: the whole build on {rows:,} artists (every layer, both feature sets)...", flush=True)
    db = run_build("scale", csv_path, rows, out / f"scale_{rows}" / "dei.duckdb", results)
    seconds, peak = SCALE_TARGETS.get(rows, (None, None))
    if seconds is not None:
        results.summary[f"scale_{rows}_targets"] = f"< {seconds} s" + (f", < {peak} MB" if peak else "")
        results.summary[f"scale_{rows}_within_targets"] = within(stage_total(results, "scale"), seconds, peak)
    if with_curve and db is not None:
        print(f"bench: the learning curve on the {rows:,}-artist build's features...", flush=True)
        curve = learning_curve.learning_curve(db, CURVE_SIZES)
        for row in curve.itertuples():
            results.stages.append(Stage("learning curve", f"{row.model_name} on {row.training_rows:,} rows", rows,
                                        row.seconds_for_size,
                                        note=f"CV R2 {row.cv_r2_mean:.4f} ± {row.cv_r2_std:.4f}, "
                                             f"test R2 {row.test_r2:.4f}"))


def run_catalogue(rows: int, out: Path, seed: int, results: Results) -> None:
    csv_path, seconds = catalogue_file(out, rows, seed)
    results.stages.append(Stage("data", "generate catalogue CSV", rows, seconds, note=csv_path.name))
    print(f"bench: the whole build of a {rows:,}-artist catalogue export ({json.dumps(CATALOGUE_VARS)})...",
          flush=True)
    run_build("catalogue", csv_path, rows, out / f"catalogue_{rows}" / "dei.duckdb", results,
              "--vars", json.dumps(CATALOGUE_VARS))
    results.summary["catalogue_target"] = f"< {CATALOGUE_TARGET} s"
    results.summary["catalogue_within_target"] = within(stage_total(results, "catalogue"), CATALOGUE_TARGET, None)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    parts = [part.strip() for part in args.parts.split(",") if part.strip()]
    unknown = [part for part in parts if part not in PARTS]
    if unknown:
        print(f"error: unknown bench part(s) {', '.join(unknown)} (known: {', '.join(PARTS)})", file=sys.stderr)
        return 2
    out = args.out.expanduser().resolve()
    results = Results(machine=machine())
    minutes = sum(estimated_seconds(part, rows) for part, rows in sizes(args, parts).items()) / 60
    print(f"bench: {', '.join(f'{part} on {rows:,} artists' for part, rows in sizes(args, parts).items())}; "
          f"about {minutes:.0f} minutes on a quiet 2-core machine; results go to {out}/results.md", flush=True)
    for part, rows in sizes(args, parts).items():
        if part == "formats":
            inputs, seconds = synthetic_files(out, rows, args.seed, FORMATS)
            results.stages.append(Stage("data", f"generate {', '.join(FORMATS)}", rows, seconds))
            run_formats(rows, inputs, out, results)
            continue
        if part == "catalogue":
            run_catalogue(rows, out, args.seed, results)
            continue
        csv_path, seconds = synthetic_file(out, rows, args.seed)
        results.stages.append(Stage("data", "generate CSV", rows, seconds, note=csv_path.name))
        if part == "compare":
            run_compare(rows, csv_path, out, results)
        elif part == "sql":
            print(f"bench: the SQL layers on {rows:,} artists...", flush=True)
            run_sql_layers(csv_path, rows, out / "sql_layers" / "dei.duckdb", results)
            results.summary["sql_layers_within_targets"] = within(stage_total(results, "sql layers"), *SQL_TARGETS)
        else:
            run_scale(rows, csv_path, out, results, args.learning_curve)
    if results.failures:
        results.summary["failures"] = results.failures
    write_results(results, out)
    print()
    print(markdown(results), end="")
    return 1 if results.failures or results.summary.get("numbers_match") is False else 0


if __name__ == "__main__":
    sys.exit(main())
