#!/usr/bin/env bash
# The package installs on a fresh, minimal Debian 12 (debootstrap minbase
# in a chroot, nothing else installed): its Depends: pull in every library
# it needs; it analyzes samples/; it purges without leaving a file.
#   tests/package/check_fresh.sh PATH/kling-triage_<version>_<arch>.deb [ROOTFS]
# Needs root and the Debian mirror; ROOTFS (default build/fresh-bookworm) is
# made once (about a minute, 200 MB) and reused. `scripts/kt package --fresh`.
set -euo pipefail
deb=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
rootfs=$(realpath -m "${2:-$root/build/fresh-bookworm}")
[ "$(id -u)" -eq 0 ] || { echo "check_fresh: needs root (chroot)" >&2; exit 2; }
if [ ! -x "$rootfs/usr/bin/apt-get" ]; then
  echo "check_fresh: debootstrap --variant=minbase bookworm $rootfs" >&2
  rm -rf "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >/dev/null
fi
cleanup() {
  umount "$rootfs/dev/pts" 2>/dev/null || true
  umount "$rootfs/proc" 2>/dev/null || true
  rm -rf "$rootfs/tmp/kt"
}
trap cleanup EXIT
mkdir -p "$rootfs/tmp/kt"
cp "$deb" "$rootfs/tmp/kt/"
cp -r "$root/samples" "$rootfs/tmp/kt/samples"
cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
mount -t proc proc "$rootfs/proc"
mkdir -p "$rootfs/dev/pts"
mount --bind /dev/pts "$rootfs/dev/pts"
chroot "$rootfs" /bin/bash -euo pipefail -c '
  deb=/tmp/kt/'"$(basename "$deb")"'
  # Back to the minimal system: no kling-triage, none of its dependencies.
  dpkg-query -W kling-triage >/dev/null 2>&1 && apt-get purge -y -qq kling-triage >/dev/null
  apt-get autoremove --purge -y -qq >/dev/null
  apt-get update -qq
  before=$(dpkg-query -W -f="\${Package}\n" | sort)
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
  added=$(comm -13 <(echo "$before") <(dpkg-query -W -f="\${Package}\n" | sort) | tr "\n" " ")
  echo "check_fresh: apt-get install added: $added" >&2
  cd /
  kling-triage analyze --color never /tmp/kt/samples/ | grep -q "Top causes"
  kling-triage --version >&2
  mapfile -t files < <(dpkg -L kling-triage)
  apt-get purge -y -qq kling-triage >/dev/null
  apt-get autoremove --purge -y -qq >/dev/null
  for f in "${files[@]}"; do
    if [ -e "$f" ] && [ ! -d "$f" ]; then echo "check_fresh: FAIL left after purge: $f" >&2; exit 1; fi
  done
'
echo "check_fresh: $(basename "$deb") installs and works on a minimal Debian 12, and purges cleanly" >&2
