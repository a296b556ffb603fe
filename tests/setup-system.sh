#!/usr/bin/env bash
# The test suite drives programs from Debian's packages: Chromium for the browser tests (browser
# downloads fail on these machines), LibreOffice to open the generated workbooks and documents, and
# PostgreSQL for the server suite's second run, HAProxy in front of two instances (tests/cluster.test.ts). Install whichever is missing, in one apt call.
set -euo pipefail
missing=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v soffice >/dev/null || missing+=(libreoffice-calc-nogui libreoffice-writer-nogui)
[ -n "$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null)" ] || missing+=(postgresql)
command -v haproxy >/dev/null || missing+=(haproxy)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "Installing from Debian's packages for the tests: ${missing[*]}…"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
