# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO   := .demo
export TZ ?= Asia/Shanghai

.PHONY: demo test lint docs bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	rm -rf $(DEMO) && mkdir -p $(DEMO)
	OA_DB=$(DEMO)/ledger.db OA_CONFIG=examples/config.yaml OA_USER=demo \
	  $(BIN)/oa import examples/items.yaml
	OA_DB=$(DEMO)/ledger.db OA_CONFIG=examples/config.yaml OA_USER=demo OA=$(BIN)/oa \
	  sh examples/story.sh
	OA_DB=$(DEMO)/ledger.db OA_CONFIG=examples/config.yaml OA_USER=demo \
	  $(BIN)/oa --lang zh daily --format table
	@echo
	@echo "Demo ledger: OA_DB=$(DEMO)/ledger.db OA_CONFIG=examples/config.yaml $(BIN)/oa list"

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy src

docs: $(STAMP)
	$(BIN)/cog -r docs/cli.md
	OA=$(BIN)/oa sh docs/pictures.sh

test: lint
	$(BIN)/cog --check docs/cli.md
	$(BIN)/pytest -n auto

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache .hypothesis
