"""A catalogue's own headers: folded names and var column_map feed the input columns; a header
that cannot is refused in one line naming what was found."""

import pytest

from warehouse.ingest.header import SOURCE_COLUMNS, HeaderProblem, InputColumns, folded_name, header_columns
from warehouse.settings.project import project_vars

COLUMNS = InputColumns.of(project_vars())
TITLE_CASE = [name.replace("_", " ").title() for name in SOURCE_COLUMNS]


@pytest.mark.parametrize("header", ["Monthly Listeners", "monthly-listeners", " MONTHLY_LISTENERS ",
                                    "Monthly  -  Listeners"])
def test_a_header_folds_to_its_column(header):
    assert folded_name(header) == "monthly_listeners"


def test_title_case_headers_feed_every_column_in_any_order():
    headers = ["Notes", *reversed(TITLE_CASE)]

    fed = header_columns(headers, COLUMNS, "csv")

    assert fed == ["notes", *reversed(SOURCE_COLUMNS)]


def test_column_map_names_a_header_exactly_as_written():
    headers = [*TITLE_CASE[:6], "Listeners (monthly)", *TITLE_CASE[7:], "monthly listeners (old)"]
    columns = InputColumns.of({**project_vars(), "column_map": {"monthly_listeners": "Listeners (monthly)"}})

    fed = header_columns(headers, columns, "parquet")

    assert fed[6] == "monthly_listeners"
    assert fed[-1] == "monthly_listeners_(old)"


def test_a_mapped_column_leaves_a_header_of_its_name_unused():
    headers = [*TITLE_CASE, "Sex"]
    columns = InputColumns.of({**project_vars(), "column_map": {"gender": "Sex"}})

    fed = header_columns(headers, columns, "csv")

    assert fed[-1] == "gender" and fed[2] is None


def test_two_headers_that_fold_to_one_column_are_named():
    headers = [*TITLE_CASE, "monthly_listeners"]

    with pytest.raises(HeaderProblem, match=r"^input file has headers 'Monthly Listeners' and 'monthly_listeners', "
                                            r"which both read as monthly_listeners: rename one, or name the one to "
                                            r"use in var column_map$"):
        header_columns(headers, COLUMNS, "csv")


def test_a_missing_column_is_named_with_the_nearest_header_and_the_headers_found():
    headers = [header if header != "Monthly Listeners" else "Monthly Listners" for header in TITLE_CASE]
    headers.remove("Country")

    with pytest.raises(HeaderProblem) as raised:
        header_columns(headers, COLUMNS, "csv")

    assert str(raised.value).startswith(
        "input file lacks required column(s) country, monthly_listeners (no header is near country; "
        "nearest to monthly_listeners: 'Monthly Listners'; headers found: 'Artist Id', 'Artist Name', ")


def test_a_column_map_header_that_is_not_there_is_named():
    columns = InputColumns.of({**project_vars(), "column_map": {"gender": "Sex"}})

    with pytest.raises(HeaderProblem, match=r"^var column_map maps gender to 'Sex', which is not a header of the "
                                            r"input \(headers found: 'Artist Id', "):
        header_columns(TITLE_CASE, columns, "csv")


def test_an_extra_attribute_not_in_the_file_is_named_as_missing():
    columns = InputColumns.of({**project_vars(), "extra_attributes": ["region"]})

    with pytest.raises(HeaderProblem, match=r"^input file lacks required column\(s\) region \(nearest to region: "
                                            r"'Regions'; headers found: 'Artist Id', "):
        header_columns([*TITLE_CASE, "Regions"], columns, "csv")
