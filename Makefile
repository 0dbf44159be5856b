# Two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8501
# Loopback by default; ADDRESS=0.0.0.0 serves the intranet once users exist (README: deploy).
ADDRESS ?= 127.0.0.1
# Debian packages the exports and the browser test need (CJK fonts — WenQuanYi Micro Hei,
# TrueType, for the PDF — chromium, pdftoppm/pdffonts): MISSING_PACKAGES sets $missing to
# those of chromium fonts-noto-cjk fonts-wqy-microhei poppler-utils not on this machine.
MISSING_PACKAGES := missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	fc-list 2>/dev/null | grep -q "WenQuanYi Micro Hei" || missing="$$missing fonts-wqy-microhei"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"
APT_INSTALL := apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq

.PHONY: run test lint install system-deps export-deps db clean

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

# The tests need every package: installs the missing ones (needs root, as on these machines).
system-deps:
	@$(MISSING_PACKAGES); if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; $(APT_INSTALL) $$missing >/dev/null; fi

# The dashboard runs without them; only exports need them. Installs what is missing when it
# can (root), else says what the exports lack and goes on.
export-deps:
	@$(MISSING_PACKAGES); if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ]; then \
	  echo "installing$$missing"; $(APT_INSTALL) $$missing >/dev/null || true; $(MISSING_PACKAGES); fi; \
	for p in $$missing; do case $$p in \
	  chromium) echo "note: no chromium — chart PNG downloads and the briefing pack fail";; \
	  fonts-noto-cjk) echo "note: no Noto Sans CJK — chart PNGs show no Chinese text";; \
	  fonts-wqy-microhei) echo "note: no WenQuanYi Micro Hei — the PDF, PPTX and map PNG fall back to Noto Sans CJK, which some PDF viewers do not show";; \
	  poppler-utils) ;; \
	esac; done; \
	if [ -n "$$missing" ]; then echo "      (as root: make system-deps, or apt-get install$$missing)"; fi

# Schema upgrade every start; the demo county only into an empty store.
db: install
	$(BIN)/duzhan init --demo

run: db export-deps
	$(BIN)/python -m duzhan.serve --server.address $(ADDRESS) --server.port $(PORT) --server.headless true

# ruff (pyproject.toml [tool.ruff]) first, then the whole suite, on SQLite and on a throwaway
# PostgreSQL cluster.
lint: install
	$(BIN)/ruff check .

test: install system-deps lint
	pg_virtualenv -o max_connections=50 sh -c '$(BIN)/pytest -n 2 --dist loadfile -p no:cacheprovider'

clean:
	rm -rf $(VENV) build data/duzhan.db data/duzhan.db-*
