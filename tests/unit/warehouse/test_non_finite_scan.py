"""The scan for NaN and infinity (tests/non_finite.py) that the build tests run over every published table:
scalars, lists, arrays and structs, in schemas and tables with odd names."""

import duckdb
import pytest

from tests.non_finite import floating_column_count, non_finite_values


@pytest.fixture()
def scratch():
    with duckdb.connect() as con:
        con.execute('create schema "odd schema"')
        yield con


def test_scan_finds_nan_and_infinity_in_scalars_lists_and_structs(scratch):
    scratch.execute("""
        create table "odd schema"."odd ""table"" x" (
            ok double, d double, f float, l double[], a double[2], s struct(x double, note varchar), t varchar
        )
    """)
    scratch.execute("""
        insert into "odd schema"."odd ""table"" x" values
            (1.5, 'nan'::double, 1, [1.0], [1.0, 2.0], {'x': 1.0, 'note': 'NaN, Infinity: text is data'}, 'nan'),
            (2.5, 0, '-inf'::float, [1.0, 'inf'::double], [1.0, 'nan'::double],
             {'x': 'inf'::double, 'note': 'x'}, 'inf')
    """)
    assert floating_column_count(scratch) == 6
    assert non_finite_values(scratch) == {
        'odd schema.odd "table" x.d': 1,
        'odd schema.odd "table" x.f': 1,
        'odd schema.odd "table" x.l': 1,
        'odd schema.odd "table" x.a': 1,
        'odd schema.odd "table" x.s': 1,
    }


def test_scan_of_finite_values_and_nulls_is_clean(scratch):
    scratch.execute('create table "odd schema".t (d double, l double[])')
    scratch.execute("insert into \"odd schema\".t values (null, null), (1e308, [null, -1e308]), (0, [])")
    assert non_finite_values(scratch) == {}
