#!/usr/bin/env bash
# Builds dist/ai-cockpit_VERSION_amd64.deb: the app, its QML and assets, and a
# wheelhouse of every Python dependency (llama-cpp-python prebuilt), so that
# installing needs neither a compiler nor a package registry. Models are put in
# the package too when WITH_MODELS=1 (about 780 MB); otherwise the app shows
# the fetch command on first start, as it does in a clone.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=$(.venv/bin/python -c "import app; print(app.__version__)")
CACHE=${COCKPIT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ai-cockpit}
STAGE=build/deb/ai-cockpit_${VERSION}_amd64
PREFIX=$STAGE/opt/ai-cockpit

rm -rf "$STAGE"
mkdir -p "$PREFIX/models" "$STAGE/DEBIAN" "$STAGE/usr/bin" "$STAGE/usr/share/applications" dist

# The set-up's llama-cpp-python wheel is compiled for the build machine's CPU (-march=native):
# fast there, but an illegal instruction on an older desktop. The installer carries its own
# build for any x86-64 with AVX2 (2013 on), made once and cached apart from the native one.
PORTABLE="$CACHE/wheels-portable"
LLAMA_VERSION=$(sed -n 's/^LLAMA_VERSION := //p' Makefile)
if ! ls "$PORTABLE"/llama_cpp_python-"$LLAMA_VERSION"-*.whl >/dev/null 2>&1; then
  echo "Building a portable llama-cpp-python $LLAMA_VERSION for the installer (several minutes, once)..."
  CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON" \
    .venv/bin/python -m pip wheel --no-deps --no-cache-dir -w "$PORTABLE" "llama-cpp-python==$LLAMA_VERSION"
fi

echo "Collecting wheels for every dependency..."
.venv/bin/python -m pip wheel -q --find-links "$PORTABLE" -w "$PREFIX/wheelhouse" \
  $(.venv/bin/python - <<'PY'
import tomllib
print(" ".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))
PY
)

cp -r app qml assets pyproject.toml README.md "$PREFIX/"
cp models/manifest.toml "$PREFIX/models/"
find "$PREFIX" -name __pycache__ -prune -exec rm -rf {} +
if [ "${WITH_MODELS:-0}" = 1 ]; then
  for model in models/*/; do cp -r "$model" "$PREFIX/models/"; done
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
install -D -m 644 packaging/ai-cockpit-kiosk.service "$STAGE/usr/lib/systemd/user/ai-cockpit-kiosk.service"

dpkg-deb --root-owner-group --build "$STAGE" "dist/ai-cockpit_${VERSION}_amd64.deb"
echo "Built dist/ai-cockpit_${VERSION}_amd64.deb"
