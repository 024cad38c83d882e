"""The opt-in unaware feature set (no protected attribute's code among the inputs), trained beside
no_leakage on the workshop data: its models cannot use an attribute, and the report compares each
group's error with no_leakage's."""

import duckdb
import pytest

from tests.builds.test_counterfactual_flips import ENCODED
from tests.conftest import query_df
from tests.report_page import body_rows, parse_page
from warehouse.build import DEFAULT_DATA
from warehouse.build import main as build_main

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def unaware_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("unaware")
    db = folder / "dei.duckdb"
    assert build_main(["--data", str(DEFAULT_DATA), "--db", str(db), "--report-dir", str(folder / "report"),
                       "--feature-sets", "no_leakage,unaware"]) == 0
    return db, folder / "report" / "index.html"


@pytest.fixture(scope="module")
def summary(unaware_build):
    with duckdb.connect(str(unaware_build[0]), read_only=True) as con:
        return query_df(con, "select * from ml.counterfactual_summary")


def test_an_unaware_model_has_no_attribute_input_and_does_not_use_it(summary):
    unaware = summary[summary["feature_set"] == "unaware"]
    assert sorted(unaware["attribute"].unique()) == sorted(ENCODED.values())
    assert len(unaware) == 5 * len(ENCODED)
    assert not unaware["is_input"].any() and not unaware["uses_attribute"].any()
    assert (unaware["n_pairs"] == 0).all() and (unaware["max_changed_share"] == 0).all()


def test_the_aware_set_flips_every_encoded_attribute(summary):
    aware = summary[summary["feature_set"] == "no_leakage"]
    assert aware["is_input"].all() and (aware["n_pairs"] > 0).all()
    # the forest splits on the codes of this data; a Lasso may zero one, so not every model uses each
    assert aware["uses_attribute"].any()


def test_the_report_gives_each_groups_mae_change_without_the_codes(unaware_build):
    db, page = unaware_build
    with duckdb.connect(str(db), read_only=True) as con:
        expected = con.execute(
            "select unaware.attribute, unaware.group_value, unaware.mae - aware.mae "
            "from ml.prediction_group_metrics as unaware "
            "inner join reporting.best_models as best "
            "    on unaware.feature_set = best.feature_set and unaware.model_name = best.model_name "
            "inner join ml.prediction_group_metrics as aware "
            "    on aware.feature_set = 'no_leakage' and aware.model_name = unaware.model_name "
            "    and aware.attribute = unaware.attribute and aware.group_value = unaware.group_value "
            "where unaware.feature_set = 'unaware' and unaware.attribute in ('gender', 'ethnicity')").fetchall()
    rows = body_rows(parse_page(page), "unaware-comparison")
    drawn = {(row[1]["text"], row[2]["text"]): float(row[5]["value"]) for row in rows}
    assert len(drawn) == len(expected) > 0
    for attribute, group_value, change in expected:
        assert drawn[(attribute, group_value)] == pytest.approx(change, rel=1e-9)
