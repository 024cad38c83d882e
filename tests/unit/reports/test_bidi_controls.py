"""Bidirectional controls in the warehouse's text never reach the page: the reader removes them from
every string it returns, and leaves every other character (and every number) as it was."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from reports.bidi_controls import neutral_frame, neutral_text
from reports.warehouse_reader import WarehouseReader

CONTROLS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
            "\u200e", "\u200f", "\u061c"]
# text a name may rightly hold: joiners (an emoji family, a Persian name), Arabic and Hebrew
# letters, line and paragraph separators, markup (escaped later, by the template)
KEPT = ["\U0001f468\u200d\U0001f469\u200d\U0001f467", "\u0645\u06cc\u200c\u0631\u0648\u062f",
        "\u05e9\u05dc\u05d5\u05dd", "line\u2028separator\u2029paragraph", "<b>AT&T</b>", "Ros\u0061\u0301lia", ""]


@pytest.mark.parametrize("control", CONTROLS)
def test_every_bidirectional_control_is_removed(control):
    assert neutral_text(f"Evil {control}eman{control}") == "Evil eman"


@pytest.mark.parametrize("text", KEPT)
def test_other_text_is_kept(text):
    assert neutral_text(text) == text


@pytest.mark.parametrize("value", [None, 0, 3.5, float("nan"), True, pd.Timestamp("2026-01-01")])
def test_values_that_are_not_text_pass_untouched(value):
    assert neutral_text(value) is value


def test_a_frame_is_neutralised_in_its_text_columns_only():
    frame = pd.DataFrame({
        "name": pd.array(["Evil \u202eeman", None, "plain"], dtype="str"),
        "mostly_null": pd.Series([None, "\u200fx", None], dtype=object),
        "n": [1, 2, 3],
        "rate": [0.5, float("nan"), 1.0],
    })
    result = neutral_frame(frame.copy())
    assert result["name"].tolist()[::2] == ["Evil eman", "plain"] and pd.isna(result["name"][1])
    assert result["mostly_null"].tolist() == [None, "x", None]
    assert result.dtypes.to_dict() == frame.dtypes.to_dict()
    pd.testing.assert_frame_equal(result[["n", "rate"]], frame[["n", "rate"]])


@pytest.fixture()
def reader():
    con = duckdb.connect()
    con.execute("create schema reporting")
    con.execute("create table reporting.names as select * from (values "
                "(1, 'Evil \u202eeman\u202c', null::varchar), (2, 'Ros\u00e1lia', null)) "
                "names(artist_id, artist_name, note)")
    yield WarehouseReader(con)
    con.close()


def test_the_reader_returns_no_bidirectional_control(reader):
    frame = reader.select("reporting.names", ["artist_id", "artist_name", "note"], order_by=("artist_id",))
    assert frame["artist_name"].tolist() == ["Evil eman", "Ros\u00e1lia"]
    assert frame["note"].tolist() == [None, None]
    assert frame["artist_id"].tolist() == [1, 2]
    assert reader.frame("select '\u2067' || artist_name as shown from reporting.names order by artist_id")[
        "shown"].tolist() == ["Evil eman", "Ros\u00e1lia"]
    assert reader.scalar("select artist_name from reporting.names where artist_id = 1") == "Evil eman"
    assert reader.scalar("select count(*) from reporting.names") == 2
