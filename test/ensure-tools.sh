#!/usr/bin/env bash
# The system tools the tests use, from Debian's packages: chromium (browser tests, driven by
# playwright-core), spin and gcc (the SPIN cross-check), haproxy (the deploy config check),
# python3-nbformat (the Jupyter export's validation, with Debian's own python3). Run before `npm test` (pretest).
# As root it installs what is missing with apt-get; otherwise it stops at once with one line
# that says what to run. No test is skipped for a missing tool: they fail instead.
set -u

# Each check names the Debian package that brings the command.
missing=()
command -v "${CHROMIUM_PATH:-/usr/bin/chromium}" >/dev/null 2>&1 || missing+=(chromium)
command -v spin >/dev/null 2>&1 || missing+=(spin)
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
/usr/bin/python3 -c 'import nbformat' >/dev/null 2>&1 || missing+=(python3-nbformat)
[ ${#missing[@]} -eq 0 ] && exit 0

install="apt-get update && apt-get install -y ${missing[*]}"
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "npm test needs ${missing[*]} (Debian packages): run 'sudo sh -c \"$install\"', then npm test again" >&2
  exit 1
fi

echo "test/ensure-tools.sh: installing ${missing[*]} with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; } >/tmp/reaplab-apt.log 2>&1; then
  echo "npm test needs ${missing[*]}: '$install' failed (see /tmp/reaplab-apt.log)" >&2
  exit 1
fi
