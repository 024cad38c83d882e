"""JSON that is safe to place inside an HTML <script> element.

A value such as `</script><script>alert(1)</script>` must stay a string: the HTML parser ends a
script element at `</script` whatever JavaScript thinks, and `<!--` changes how it reads what
follows. Escaping `<`, `>` and `&` as JSON unicode escapes keeps every such sequence out of the
markup while JSON.parse reads the same value back. U+2028/U+2029 are escaped because they end a
line in older JavaScript string literals.
"""

from __future__ import annotations

import json

_SCRIPT_ESCAPES = str.maketrans({
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
})


def script_safe_json(value) -> str:
    """Serialise value as JSON with no character that could end or alter a script element.

    NaN and infinity are refused (they are not JSON): the charts get null for undefined values.
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.translate(_SCRIPT_ESCAPES)
