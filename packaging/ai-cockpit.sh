#!/bin/sh
# Launcher: the app runs from /opt/ai-cockpit; per-user state goes to the XDG folders.
cd /opt/ai-cockpit || exit 1
# Models bundled into the package (WITH_MODELS=1) live beside the app; otherwise each user
# fetches their own into a folder they can write.
if [ -z "$COCKPIT_MODELS_DIR" ] && [ ! -f /opt/ai-cockpit/models/.bundled ]; then
  export COCKPIT_MODELS_DIR="${XDG_DATA_HOME:-$HOME/.local/share}/ai-cockpit/models"
fi
# What the app tells a user to run when a model is missing.
export COCKPIT_MODELS_COMMAND="ai-cockpit models"
if [ "$1" = models ]; then
  shift
  exec /opt/ai-cockpit/.venv/bin/python -m app.models "$@"
fi
exec /opt/ai-cockpit/.venv/bin/python -m app "$@"
