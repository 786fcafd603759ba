"""The limits every way in shares (command line, Python API, server), in one place with no imports.

One size limit: a longer text is refused in one line before spaCy sees it, and the pipeline's own
`max_length` is set from the same number, so spaCy's multi-line E088 error never reaches a user.
"""

DEFAULT_MAX_BYTES = 5_000_000
