"""The HTML report: Jinja templates and the renderer that reads the published warehouse."""
