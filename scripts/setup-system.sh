#!/usr/bin/env bash
# Debian packages the app and its tests use. Idempotent; run as root (or with sudo).
#   run-time packages oneDNN, OpenMP, ffmpeg: the list `npm run setup` installs, read from bin/setup.js
#   chromium          UI and viewer tests (playwright-core drives it)
#   python3-torch     the PyTorch export test loads and trains the exported module
#   mesa-vulkan-drivers 25 (bookworm-backports): software Vulkan so the WebGPU backend is tested without a GPU
#   insighttoolkit5-examples, python3-imageio: real MRI and video used by tests (data files only, unpacked to assets/debian)
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PKGS="$(node "$ROOT/bin/setup.js" --print-runtime-packages) chromium python3-torch"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
fi

# Software Vulkan for the WebGPU CI check (test/integration/webgpu-step.test.ts): Dawn rejects
# Debian 12's Mesa 22 lavapipe; Mesa 25 from bookworm-backports works. The backports source is
# derived from the system's own Debian source (same mirror and keyring), never a hard-coded address.
MESA_MIN=25
. /etc/os-release 2>/dev/null || true
mesa_version=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)
if [ "${VERSION_CODENAME:-}" != bookworm ]; then
  echo "setup-system: not Debian bookworm (${VERSION_CODENAME:-unknown}); skipping the Mesa backports step (the WebGPU test needs a Vulkan driver Dawn accepts: Mesa >= $MESA_MIN lavapipe or a GPU)"
elif [ -n "$mesa_version" ] && dpkg --compare-versions "$mesa_version" ge "$MESA_MIN"; then
  : # already new enough
else
  if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    # The first deb822 stanza whose Suites: include bookworm itself, with that line replaced.
    stanza=$(awk 'BEGIN { RS = ""; FS = "\n" }
      { for (i = 1; i <= NF; i++) if ($i ~ /^Suites:/) { n = split($i, t, /[ \t]+/)
          for (j = 2; j <= n; j++) if (t[j] == "bookworm") {
            for (k = 1; k <= NF; k++) print ($k ~ /^Suites:/ ? "Suites: bookworm-backports" : $k); exit } } }' \
      /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
    if [ -n "$stanza" ]; then
      echo "$stanza" | $SUDO tee /etc/apt/sources.list.d/ranp-backports.sources >/dev/null
    elif line=$(grep -m 1 -E '^deb[[:space:]].*[[:space:]]bookworm[[:space:]]' /etc/apt/sources.list 2>/dev/null); then
      echo "$line" | sed -E 's/[[:space:]]bookworm[[:space:]]/ bookworm-backports /' |
        $SUDO tee /etc/apt/sources.list.d/ranp-backports.list >/dev/null
    else
      echo "setup-system: no Debian bookworm apt source found to derive bookworm-backports from" >&2
      exit 1
    fi
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1
fi

# Real data files from Debian packages (unpacked, not installed): test/fixtures/debian/{itk,imageio}.
DATA_DIR="$ROOT/test/fixtures/debian"
if [ ! -f "$DATA_DIR/itk/KmeansTest_T1UCharRaw.nii.gz" ] || [ ! -f "$DATA_DIR/imageio/realshort.mp4" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download insighttoolkit5-examples python3-imageio >/dev/null 2>&1 || { $SUDO apt-get update -qq && apt-get download insighttoolkit5-examples python3-imageio; })
  for f in "$tmp"/*.deb; do dpkg -x "$f" "$tmp/x"; done
  mkdir -p "$DATA_DIR/itk" "$DATA_DIR/imageio"
  cp "$tmp"/x/usr/share/doc/insighttoolkit5-examples/examples/Data/KmeansTest_T1*.nii.gz "$DATA_DIR/itk/"
  cp "$tmp"/x/usr/lib/python3/dist-packages/imageio/resources/images/realshort.mp4 "$DATA_DIR/imageio/"
  rm -rf "$tmp"
fi
