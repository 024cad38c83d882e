"""`make bench`: speed and memory of the build, measured (never asserted by a test).

Parts (python -m bench --help):
1. compare: the notebook's own code (tests/notebook_reference.py) and the warehouse build on the
   same synthetic artists (default 100,000, FEATURE_SETS=notebook), the numbers compared with the
   parity tests' tolerances (tests/parity.py), and the ratio warehouse / notebook;
2. sql: the SQL layers alone (the dbt build without the ml models) at 10,000,000 artists;
3. scale: the whole build (every layer, both feature sets, report, publish) at 1,000,000 artists,
   and at 10,000,000 with --scale-rows, per stage (the build's steps and each dbt model) with the
   peak of the summed memory of all its processes;
4. formats: the input's load and the staging models of the same synthetic artists as CSV,
   gzip-compressed CSV and Parquet, side by side (default 10,000,000 artists, --formats-rows);
5. curve: with --learning-curve, CV R2 against training rows on the scale build's features.

Peak MB: for the notebook, its process's peak RSS; for a build, the peak of the PSS summed over
every process of the build (shared copy-on-write pages counted once; bench/measure.py).
Every part runs in processes of its own. Results go to <out>/results.json and results.md and are
printed; README.md beside this file keeps the figures measured, with the machine they came from.
"""
