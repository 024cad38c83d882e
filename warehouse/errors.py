"""The one error type the build turns into a single readable line."""


class BuildError(Exception):
    """A problem the user can fix (unusable input file, failed tests); printed as one line."""
