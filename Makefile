# Two commands matter: `make demo` and `make test`. Everything else is a step of those.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test venv units server-tests integration sanity lint docs-lint changelog-lint docs build bench server clean

venv: $(STAMP)
$(STAMP): requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

demo: venv
	VENV=$(abspath $(VENV)) bash tools/demo.sh

## The whole suite, as CI runs it.
test: venv
	$(BIN)/pytest -p no:cacheprovider -n 2 --dist loadfile tests
	$(MAKE) sanity lint docs-lint changelog-lint build

units: venv
	$(BIN)/pytest -q tests/unit

server-tests: venv
	$(BIN)/pytest -q tests/awxsim

integration: venv
	$(BIN)/pytest -q -m integration tests/integration

sanity: venv
	VENV=$(abspath $(VENV)) bash tools/sanity.sh

lint: venv
	VENV=$(abspath $(VENV)) bash tools/lint.sh

docs-lint: venv
	bash tools/docs.sh lint

## Every fragment under changelogs/fragments/ must be valid antsibull-changelog input.
changelog-lint: venv
	$(BIN)/antsibull-changelog lint

docs: venv
	bash tools/docs.sh build

build: venv
	bash tools/build.sh

## The reliability suite alone (faults, races, a restart, canary secrets, bad inputs), and its report.
.PHONY: reliability reliability-report
reliability: venv
	$(BIN)/pytest -q -p no:cacheprovider tests/reliability

reliability-report: venv
	$(BIN)/python -m tests.reliability.report --output docs/reliability.md

bench: venv
	$(BIN)/python bench/run_all.py

server: venv
	$(BIN)/python -m awxsim --host 127.0.0.1 --port 8013

clean:
	rm -rf .build tests/output *.tar.gz
