"""Coverage-guided fuzzing of the readers (atheris); run with ``fuzz/run.sh SECONDS``, not in CI."""
