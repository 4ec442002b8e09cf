#!/usr/bin/env bash
# Inside a dbus-run-session: start gnome-keyring with an unlocked login keyring, then run "$@".
set -u
export XDG_DATA_HOME="${XDG_DATA_HOME:-$(mktemp -d)}"
eval "$(printf '\n' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
export TOKENDESK_TEST_KEYRING=1
exec "$@"
