#!/usr/bin/env bash
# Installs the Debian packages the app needs, only those missing, and says which.
# Kept in one list so the installer (packaging/) and CI agree on what a machine needs.
set -euo pipefail

PACKAGES=(
  # build llama-cpp-python from source (PyPI ships it only as source)
  build-essential cmake
  # audio: PortAudio for the microphone/speakers, libsndfile for WAV, espeak-ng as the last-resort voice
  libportaudio2 libsndfile1 espeak-ng sox
  # Qt 6 / QtWebEngine runtime libraries (xcb platform, EGL, NSS for Chromium)
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libfontconfig1
  libdbus-1-3 libnss3 libxcomposite1 libxdamage1 libxrandr2 libxtst6 libxkbfile1 libasound2 libgbm1
  # Chinese glyphs for the 中文 UI, and a virtual screen for machines without one
  fonts-noto-cjk xvfb xauth
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# python3 -m venv needs ensurepip, which Debian splits into python3-venv.
python3 -c "import ensurepip" 2>/dev/null || missing+=(python3-venv)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages the app needs: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
