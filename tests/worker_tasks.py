"""Tasks for the worker tests (tests/core/test_worker.py): each run appends a line to a file, so
the test can see how often, and by which process, a task ran."""

import os
import time
from pathlib import Path

from django.tasks import task


@task
def touch(path: str) -> int:
    """Record one run; returns how many runs the file has seen."""
    with Path(path).open("a") as f:
        f.write(f"{os.getpid()}\n")
    return len(Path(path).read_text().split())


@task
def hold(path: str, seconds: float) -> int:
    """Record the run, then (on the first run only) take ``seconds``: long enough to be killed."""
    runs = touch.call(path)
    if runs == 1:
        time.sleep(seconds)
    return runs
