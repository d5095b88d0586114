"""How much server CPU does one audience answer cost, against an event that takes Flask-SocketIO's usual way?

    python -m bench.audience_cpu [--phones 300] [--batches 5]

An audience answer skips Flask-SocketIO's per-event request context (audience/namespace.py): that
context opens the phone's Flask session cookie for every event, which cost more than the answer
itself. This drives the real /audience namespace in-process (Flask-SocketIO's test client, each
phone with its own cookie from the phone page, the default SQLite file) and prints the process CPU
time per event (``time.process_time``) of ``--phones`` phones answering a question, and of the same
phones each sending ``resync`` (which takes the usual way, request context and all): the least of
``--batches`` batches (the one other processes disturbed least) and the median. The answers' storage
(one transaction per batch, as the publisher does a few times a second) is counted with them.
Wall-clock figures of the machine's load do not enter.
"""
import argparse
import os
import statistics
import tempfile
import time


def build(phones: int):
    """An app with a contest and ``phones`` connected audience phones."""
    os.environ["INSTANCE_PATH"] = tempfile.mkdtemp(prefix="audience-cpu-")
    os.environ["SOCKETIO_ASYNC_MODE"] = "threading"
    from contest_setup import service
    from extensions import socketio
    from factory import create_app

    app = create_app()
    with app.app_context():
        contest_id = service.create_contest("观众题 CPU 测试").id
    clients = []
    for _ in range(phones):
        browser = app.test_client()
        browser.get(f"/a/{contest_id}")
        clients.append(socketio.test_client(app, namespace="/audience", auth={"contest": contest_id},
                                            flask_test_client=browser))
    return app, contest_id, clients


def cpu_per_event(app, contest_id: int, clients: list, batches: int) -> tuple[list[float], list[float]]:
    """CPU ms per answer (stored included) and per ``resync``, ``batches`` batches of every phone."""
    from audience import hall
    from audience.publisher import tick
    from audience.questions import Draft

    answers, resyncs = [], []
    for batch in range(batches):
        with app.app_context():
            hall.open_question(contest_id, Draft(f"第 {batch + 1} 题", ("对", "错"), "A"), "bench")
            question = hall.hall(contest_id).question.id
        for client in clients:
            client.get_received("/audience")
        started = time.process_time()
        for client in clients:
            ack = client.emit("audience_answer", {"question": question, "choice": "A"}, namespace="/audience",
                              callback=True)
            assert ack["ok"], ack
        with app.app_context():
            tick()
        answers.append((time.process_time() - started) / len(clients) * 1000)
        started = time.process_time()
        for client in clients:
            client.emit("resync", {}, namespace="/audience", callback=True)
        resyncs.append((time.process_time() - started) / len(clients) * 1000)
        with app.app_context():
            hall.end(contest_id)
    return answers, resyncs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--batches", type=int, default=5)
    args = parser.parse_args()
    app, contest_id, clients = build(args.phones)
    answers, resyncs = cpu_per_event(app, contest_id, clients, args.batches)
    for label, figures in (("audience_answer (short way, stored)", answers), ("resync (usual way)", resyncs)):
        print(f"{label}: least {min(figures):.3f} ms, median {statistics.median(figures):.3f} ms CPU per event "
              f"({args.phones} phones × {args.batches} batches)")


if __name__ == "__main__":
    main()
