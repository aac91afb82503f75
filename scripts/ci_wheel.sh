#!/usr/bin/env bash
# CI step: build the wheel, install it (not editable) into a fresh venv, and build the sample
# issue from a folder outside the checkout — proves the fonts and the ICC profile ship with
# the package and nothing reads the source tree. Also checks the PDF's mode follows the umask.
#   scripts/ci_wheel.sh            # uses python3; WORK=/tmp/x to keep the venv
#   MIN_DEPS=1 scripts/ci_wheel.sh # with every dependency at its lower bound (honest bounds)
# Without MIN_DEPS the dependencies are those of requirements.lock and the sample's bytes must be
# the golden's (tests/archive/data/sample-golden.json, scripts/golden.py).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${WORK:-$(mktemp -d)}"
python="${PYTHON:-python3}"
export PIP_DISABLE_PIP_VERSION_CHECK=1
rm -rf "$work/wheel" "$work/venv" "$work/elsewhere"
mkdir -p "$work/wheel" "$work/elsewhere"
# build from a copy of the tracked files as they are now, so no build/ or egg-info is left in the checkout
mkdir -p "$work/elsewhere/src-copy"
git -C "$repo" ls-files -z | (cd "$repo" && tar --null -T - -cf -) | tar -x -C "$work/elsewhere/src-copy"
"$python" -m pip wheel -q --no-deps -w "$work/wheel" "$work/elsewhere/src-copy"
"$python" -m venv "$work/venv"
if [ "${MIN_DEPS:-0}" = 1 ]; then
  "$work/venv/bin/python" -m pip install -q "$work/wheel"/paperlayout-*.whl
else  # the locked versions (requirements.lock): the sample must come out as the golden bytes
  "$work/venv/bin/python" -m pip install -q -c "$repo/requirements.lock" "$work/wheel"/paperlayout-*.whl
fi
if [ "${MIN_DEPS:-0}" = 1 ]; then
  # the lower bounds of pyproject.toml, exactly (no-deps: reportlab 4.0.0 would build pycairo)
  pins="$("$work/venv/bin/python" - <<'PY'
import importlib.metadata as md, re
for req in md.requires("paperlayout") or []:
    if "extra ==" in req:
        continue
    m = re.match(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9][^,;\s]*)", req)
    if m:
        print(f"{m.group(1)}=={m.group(2)}")
PY
)"
  echo "ci_wheel: minimum versions: $(echo $pins)"
  "$work/venv/bin/python" -m pip install -q --no-deps $pins
fi
cp -r "$repo/issues/dalate" "$work/elsewhere/dalate"
rm -rf "$work/elsewhere/src-copy"
cd "$work/elsewhere"
umask 022
env -u PYTHONPATH -u PAPERLAYOUT_FONTS "$work/venv/bin/paperlayout" build dalate -o out/dalate.pdf --report out/report.json
mode="$(stat -c %a out/dalate.pdf)"
if [ "$mode" != "644" ]; then echo "ci_wheel: out/dalate.pdf has mode $mode, expected 644 under umask 022" >&2; exit 1; fi
head -c 8 out/dalate.pdf | grep -q '%PDF-1.3' || { echo "ci_wheel: not a PDF/X-1a file" >&2; exit 1; }
if [ "${MIN_DEPS:-0}" != 1 ]; then
  # a wheel records no git commit, as the golden (scripts/golden.py): the same bytes
  want="$("$python" -c "import json,sys; print(json.load(open(sys.argv[1]))['md5']['x1a'])" "$repo/tests/archive/data/sample-golden.json")"
  got="$(md5sum out/dalate.pdf | cut -d" " -f1)"
  if [ "$got" != "$want" ]; then
    echo "ci_wheel: out/dalate.pdf has md5 $got, the golden is $want (requirements.lock versions) —" \
         "a code change moved the bytes: python3 scripts/golden.py and commit, if intended" >&2; exit 1
  fi
  echo "ci_wheel: the sample built with the locked versions is the golden (md5 $got)"
fi
echo "ci_wheel: wheel installed in a fresh venv built the sample from $work/elsewhere (mode $mode)"
