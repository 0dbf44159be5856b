# Two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8501
# Debian packages the exports and the browser test need (CJK fonts — WenQuanYi Micro Hei,
# TrueType, for the PDF — chromium, pdftoppm/pdffonts).
SYSTEM_PACKAGES := chromium fonts-noto-cjk fonts-wqy-microhei poppler-utils

.PHONY: run test lint install system-deps db clean

install: $(STAMP)

# Strict editable: build/__editable__.*/duzhan links each file of src/, so editors and type
# checkers resolve `duzhan.*` like any installed package. A file added under src/ is linked
# only by a re-install, which the directories below trigger (a new entry changes their time).
SRC_DIRS := $(shell find src -type d -not -name __pycache__)

$(STAMP): pyproject.toml constraints.txt $(SRC_DIRS)
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt --config-settings editable_mode=strict -e '.[test]'
	touch $(STAMP)

# Installs the Debian packages once, when one is missing (needs root, as on these machines).
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v pdftoppm >/dev/null \
	   || ! fc-list | grep -q "Noto Sans CJK" \
	   || ! fc-list | grep -q "WenQuanYi Micro Hei"; then \
	  echo "installing $(SYSTEM_PACKAGES)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	fi

# Schema upgrade every start; the demo county only into an empty store.
db: install
	$(BIN)/duzhan init --demo

run: db system-deps
	$(BIN)/python -m duzhan.serve --server.port $(PORT) --server.headless true

# ruff (pyproject.toml [tool.ruff]) first, then the whole suite, on SQLite and on a throwaway
# PostgreSQL cluster.
lint: install
	$(BIN)/ruff check .

test: install system-deps lint
	pg_virtualenv -o max_connections=50 sh -c '$(BIN)/pytest -n 2 --dist loadfile -p no:cacheprovider'

clean:
	rm -rf $(VENV) build data/duzhan.db data/duzhan.db-*
