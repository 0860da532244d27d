#!/bin/sh
# Launcher: the app runs from /opt/ai-cockpit; per-user state goes to the XDG folders.
cd /opt/ai-cockpit || exit 1
exec /opt/ai-cockpit/.venv/bin/python -m app "$@"
