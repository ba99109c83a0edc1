"""Plain-function composition of a submission run: files -> documents -> checks -> result."""
