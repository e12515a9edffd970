#!/usr/bin/env bash
# The module rule of DESIGN.md, checked: app → importer → thumbs, catalog → core, and core
# knows nothing of SQLite, Xapian, HTTP or OpenCV (its text folding uses utf8proc). Prints each include that breaks it; exit 1 if any.
# usage: check-includes.sh SOURCE_DIR
set -euo pipefail
cd "${1:?usage: check-includes.sh SOURCE_DIR}"
status=0
forbid() {  # forbid MODULE REGEX WHY
  local hits
  hits=$(grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($2)" "$1" || true)
  if [ -n "$hits" ]; then
    printf '%s\n' "$hits" | sed "s|\$|   <- $3|"
    status=1
  fi
}
forbid core 'sqlite3|xapian|curl/|opencv2/|turbojpeg|catalog/|thumbs/|importer/' "core may include none of these"
forbid thumbs 'sqlite3|xapian|curl/|utf8proc|catalog/|importer/' "thumbs knows only core"
forbid catalog 'curl/|utf8proc|opencv2/|turbojpeg|thumbs/|importer/' "catalog knows only core"
forbid importer 'opencv2/|turbojpeg|sqlite3|xapian' "importer reaches images and the catalog through thumbs/ and catalog/"
forbid app 'curl/|sqlite3|xapian|turbojpeg' "app reaches HTTP, the catalog and images through the modules"
exit $status
