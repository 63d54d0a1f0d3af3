#!/usr/bin/env bash
# The system packages the project needs beyond Python: bootstrapping (make, git,
# python3-venv) and the tests (rsync, Chromium, fonts, Java, npm, certificates).
# Each is checked by what the tests use, so nothing present is installed again.
#
#   scripts/system-packages.sh               install what is missing (root, Debian);
#                                            else name it and exit 1
#   scripts/system-packages.sh --or-advise   the same, but exit 0 when it cannot
#                                            install (`make test` runs the other tests)
#
# With AMBASSADE_SKIP_BROWSER=1 the browser tests' packages are not needed.
set -euo pipefail

advise_only=false
case "$#:${1:-}" in
  1:--or-advise) advise_only=true ;;
  0:) ;;
  *) echo "usage: $0 [--or-advise]" >&2; exit 2 ;;
esac

packages=()
command -v make >/dev/null || packages+=(make)
# The gh-pages publishing target and the review report use git (tests/ambassade/publish, tests/review).
command -v git >/dev/null || packages+=(git)
# The rsync publishing target is tested against a local folder (tests/ambassade/publish).
command -v rsync >/dev/null || packages+=(rsync)
# Debian's python3 ships without ensurepip; venv needs it.
python3 -c "import ensurepip" 2>/dev/null || packages+=(python3-venv)
if [ "${AMBASSADE_SKIP_BROWSER:-}" != 1 ]; then
  # The browser tests (tests/browser): Debian's Chromium (never a downloaded one),
  # fonts to render pages with, Java for the Nu HTML Checker, and npm to fetch
  # axe-core and vnu.jar once into .cache/ (certificates for its HTTPS).
  [ -x /usr/bin/chromium ] || packages+=(chromium)
  [ -d /usr/share/fonts/truetype/dejavu ] || packages+=(fonts-dejavu-core)
  command -v java >/dev/null || packages+=(default-jre-headless)
  command -v npm >/dev/null || packages+=(npm)
  [ -f /etc/ssl/certs/ca-certificates.crt ] || packages+=(ca-certificates)
fi
((${#packages[@]})) || exit 0

debian=false
if [ -r /etc/os-release ] && command -v apt-get >/dev/null; then
  # shellcheck disable=SC1091
  (. /etc/os-release && [ "${ID:-}" = debian ]) && debian=true
fi

if $debian && [ "$(id -u)" = 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  # Slim Debian images leave out man pages, and the JRE's install script fails without their folder.
  mkdir -p /usr/share/man/man1
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}"
  exit 0
fi

echo "Missing system packages: ${packages[*]}." >&2
if $debian; then
  echo "Install them with: sudo scripts/system-packages.sh" >&2
else
  echo "Install them with your system's package manager (these are Debian's names)." >&2
fi
$advise_only || exit 1
echo "The tests that need them fail saying so (AMBASSADE_SKIP_BROWSER=1 skips the browser tests)." >&2
