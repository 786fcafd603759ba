"""Python processes started at one moment, for the tests of concurrent stores."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO


def started_together(code: str, args: list[list[str]], timeout: float = 600) -> list[subprocess.CompletedProcess[str]]:
    """Run `code` in one Python process per argument list, on this checkout's newsgraph, all released at one
    moment; their results. The code prints "ready" once it has done its imports, then waits for a line on stdin:
    so the processes start their work together instead of spread over the seconds of their start-up."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
           "OMP_NUM_THREADS": "1"}
    running = [subprocess.Popen([sys.executable, "-c", code, *arguments], cwd=REPO, env=env, text=True,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for arguments in args]
    try:
        for process in running:
            assert process.stdout is not None
            ready = process.stdout.readline()
            assert ready == "ready\n", f"{ready!r}; stderr: {process.stderr.read() if process.stderr else ''}"
        for process in running:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        results = []
        for process in running:
            out, err = process.communicate(timeout=timeout)  # a hang guard, not a measurement
            results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
        return results
    finally:
        for process in running:
            if process.poll() is None:
                process.kill()
                process.wait()
