# The two commands of the README: `make run` brings the database's schema up to date, prepares a
# ready demo and starts the platform; `make test` runs every test. Both create the virtual environment on first use.
# PYTEST_ARGS is added to the test run: CI shuffles it with `make test PYTEST_ARGS=--random-order`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run cluster test bench clean

run: $(VENV)/.runtime
	$(BIN)/flask --app app db upgrade
	$(BIN)/flask --app app demo
	$(BIN)/python app.py

# Several server processes on one machine (docs/deployment.md, "Several processes"): set DATABASE_URL,
# SOCKETIO_MESSAGE_QUEUE and SECRET_KEY first; nginx in front (deploy/nginx/contest.conf).
PROCESSES ?= 2
FIRST_PORT ?= 5001
cluster: $(VENV)/.runtime
	$(BIN)/python -m operations.cluster --processes $(PROCESSES) --first-port $(FIRST_PORT)

test: $(VENV)/.dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.dev
	$(BIN)/python -m bench.import_speed --quick
	$(BIN)/python -m bench.fairness --quick
	$(BIN)/python -m bench.latency --quick
	$(BIN)/python -m bench.preliminary --quick

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
