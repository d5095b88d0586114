"""Reading uploads in a worker process of their own, with a time and a memory limit.

A 61 KiB .xlsx that unpacks to 30 MB of empty rows took 213 s to read, and a 16 MB CSV 7 s, while
every live connection of the hall starved: the server runs on one event loop, and parsing holds
it. So a question bank, an event log, a pasted team list or a preliminary's company roster is read by
``python -m web.upload_worker``
in a process of its own:

* the work goes in and the result comes back through two files; the server only starts the
  worker and then looks, every 50 ms, whether it ended (``time.sleep`` is green under eventlet
  and gevent alike), so the live contest goes on meanwhile, on the other core;
* the worker may use ``UPLOAD_WORKER_MEMORY_MB`` (512) of memory and ``UPLOAD_WORKER_SECONDS``
  (30) of time; beyond, it is stopped and the organizer reads why, in Chinese;
* the parser's own refusal (a ``ValueError`` such as FormatError or EventLogError) travels back
  and is raised again in the server, as if the parser had run there.

``UPLOAD_WORKER=0`` reads in the server's process (the tests of the parsers themselves do).
"""
import importlib
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the checkout: the worker imports the parsers from it
PARSERS = {
    "question_file": "question_bank.formats:parse_file",
    "event_log": "results.eventlog:parse_event_log",
    "roster": "contest_setup.roster:parse_roster",
    "company_roster": "preliminary.roster:read_roster",
}
POLL_S = 0.05


class UploadTooHeavy(ValueError):
    """The worker ran out of time or memory reading an upload; the message says so, in Chinese."""


def parser(name: str):
    """The parsing function that PARSERS names."""
    module, function = PARSERS[name].split(":")
    return getattr(importlib.import_module(module), function)


def parse(name: str, *args, config: dict | None = None, refuse_as: type[ValueError] = UploadTooHeavy):
    """``PARSERS[name](*args)``, in a worker process unless ``config["UPLOAD_WORKER"]`` is off.

    A worker out of time or memory raises ``refuse_as`` (the caller's own refusal) with the reason.
    """
    try:
        return _parse(name, args, config or {})
    except UploadTooHeavy as error:
        raise refuse_as(str(error)) from None


def _parse(name: str, args: tuple, config: dict):
    """The work of :func:`parse`."""
    if not config.get("UPLOAD_WORKER", True):
        return parser(name)(*args)
    seconds = float(config.get("UPLOAD_WORKER_SECONDS", 30))
    memory_mb = int(config.get("UPLOAD_WORKER_MEMORY_MB", 512))
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        work, result = Path(folder) / "work.pickle", Path(folder) / "result.pickle"
        work.write_bytes(pickle.dumps((name, args)))
        # No preexec_fn: without one the child is spawned (vfork) and this process waits for nothing;
        # the worker puts its limits on itself before it reads anything.
        process = subprocess.Popen([sys.executable, "-m", "web.upload_worker", str(work), str(result), str(seconds),
                                    str(memory_mb)], cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        returncode = wait_for(process, seconds)
        if returncode is None:
            raise UploadTooHeavy(f"文件解析超过 {seconds:g} 秒仍未完成，已停止：请检查文件是否过大或含有大量空行")
        if returncode != 0 or not result.exists():
            raise UploadTooHeavy(f"文件解析所需内存超过 {memory_mb} MB，已停止：请删去多余的内容或分成几个文件")
        outcome, value = pickle.loads(result.read_bytes())
    if outcome == "refused":
        raise value
    return value


def wait_for(process: subprocess.Popen, seconds: float) -> int | None:
    """The worker's exit code, or None after killing it when it is still at work after ``seconds``."""
    deadline = time.monotonic() + seconds
    while process.poll() is None:
        if time.monotonic() >= deadline:
            process.kill()
            process.wait()
            return None
        time.sleep(POLL_S)
    return process.returncode


def limit_worker(seconds: float, memory_mb: int) -> None:
    """The worker's own limits, set before it reads the upload: memory, CPU time, the lowest priority.

    Niceness 19, not a milder 5: when the laptop's cores are all busy (the server, the worker, a
    browser on the host's laptop), a 5 still took a third of the server's share and the phones'
    press p99 rose 1.6-fold during hostile uploads; at 19 the live contest always comes first and the
    worker reads in the time the hall leaves idle.
    """
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    os.nice(19)


def work(work_path: str, result_path: str) -> None:
    """The worker: read the work, run the parser, write the result or the parser's refusal."""
    name, args = pickle.loads(Path(work_path).read_bytes())
    try:
        outcome = ("parsed", parser(name)(*args))
    except MemoryError:
        sys.exit(3)
    except ValueError as refusal:  # FormatError, EventLogError and the like: the organizer reads them
        outcome = ("refused", refusal)
    Path(result_path).write_bytes(pickle.dumps(outcome))


if __name__ == "__main__":
    limit_worker(float(sys.argv[3]), int(sys.argv[4]))
    work(sys.argv[1], sys.argv[2])
