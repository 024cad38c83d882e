"""Unit tests of reports/: the renderer and its JSON on hand-made files, no warehouse build."""
