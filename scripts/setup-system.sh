#!/usr/bin/env bash
# Debian packages the app and its tests use. Idempotent; run as root (or with sudo).
#   chromium          UI and viewer tests (playwright-core drives it)
#   ffmpeg            UCF101 video decoding
#   libdnnl-dev ...   the native oneDNN kernels (optional fast path)
#   insighttoolkit5-examples, python3-imageio: real MRI and video used by tests (data files only, unpacked to assets/debian)
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
PKGS="chromium ffmpeg libdnnl-dev libgomp1 ocl-icd-libopencl1"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
fi

# Real data files from Debian packages (unpacked, not installed): test/fixtures/debian/{itk,imageio}.
DATA_DIR="$(cd "$(dirname "$0")/.." && pwd)/test/fixtures/debian"
if [ ! -f "$DATA_DIR/itk/KmeansTest_T1UCharRaw.nii.gz" ] || [ ! -f "$DATA_DIR/imageio/realshort.mp4" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download insighttoolkit5-examples python3-imageio >/dev/null 2>&1 || { $SUDO apt-get update -qq && apt-get download insighttoolkit5-examples python3-imageio; })
  for f in "$tmp"/*.deb; do dpkg -x "$f" "$tmp/x"; done
  mkdir -p "$DATA_DIR/itk" "$DATA_DIR/imageio"
  cp "$tmp"/x/usr/share/doc/insighttoolkit5-examples/examples/Data/KmeansTest_T1*.nii.gz "$DATA_DIR/itk/"
  cp "$tmp"/x/usr/lib/python3/dist-packages/imageio/resources/images/realshort.mp4 "$DATA_DIR/imageio/"
  rm -rf "$tmp"
fi
