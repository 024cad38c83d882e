"""Reads a rendered report back: its table cells, facts, chart specs, notes and resource references."""

from __future__ import annotations

from html.parser import HTMLParser


class PageParser(HTMLParser):
    """Collects what the tests read back: table cells, facts, chart specs and every resource reference."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[dict]]] = {}
        self.facts: dict[str, dict] = {}
        self.specs: dict[str, str] = {}
        self.references: list[tuple[str, str, str]] = []
        self.notes: dict[str, str] = {}
        self._table = None
        self._cell = None
        self._script = None
        self._dt = None
        self._fact_label = None
        self._dd = None
        self._note = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("src", "href", "action", "data", "poster", "srcset"):
            if name in attributes:
                self.references.append((tag, name, attributes[name]))
        if tag == "table":
            self._table = self.tables.setdefault(attributes["id"], [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag == "td" and self._table is not None:
            self._cell = {"text": "", "value": attributes.get("data-value")}
        elif tag == "script" and attributes.get("type") == "application/json":
            self._script = attributes["id"]
            self.specs[self._script] = ""
        elif tag == "dt":
            self._dt = ""
        elif tag == "dd":
            self._dd = {"text": "", "value": attributes.get("data-value")}
        elif tag == "p" and "unavailable" in (attributes.get("class") or ""):
            self._note = attributes["id"]
            self.notes[self._note] = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag == "td" and self._cell is not None:
            self._table[-1].append(self._cell)
            self._cell = None
        elif tag == "script":
            self._script = None
        elif tag == "dt":
            self._fact_label, self._dt = self._dt.strip(), None
        elif tag == "dd" and self._dd is not None:
            self.facts[self._fact_label] = self._dd
            self._dd = None
        elif tag == "p":
            self._note = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data
        elif self._script is not None:
            self.specs[self._script] += data
        elif self._dd is not None:
            self._dd["text"] += data
        elif self._dt is not None:
            self._dt += data
        if self._note is not None:
            self.notes[self._note] += data


def parse_page(path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def body_rows(parser: PageParser, table_id: str) -> list[list[dict]]:
    return [row for row in parser.tables[table_id] if row]


def spec_values(spec: dict) -> list[list[dict]]:
    """Every inline dataset of a (possibly concatenated or layered) Vega-Lite spec."""
    found = []
    if isinstance(spec, dict):
        data = spec.get("data")
        if isinstance(data, dict) and "values" in data:
            found.append(data["values"])
        for value in spec.values():
            found += spec_values(value)
    elif isinstance(spec, list):
        for item in spec:
            found += spec_values(item)
    return found
