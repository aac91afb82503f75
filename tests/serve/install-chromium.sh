#!/usr/bin/env bash
# What the browser tests (tests/serve/test_browser.py) need on a Debian/Ubuntu machine:
# the distribution's Chromium and its driver (no browser download), CJK fonts for the page's
# Chinese text in screenshots (Selenium comes with the test extras). For .ci/run, before the
# test command.
# Measured on the 2-core machine (Debian 12): apt-get update 2 s, the install 24 s.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if command -v apt-get >/dev/null 2>&1; then
  apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-noto-cjk >/dev/null
fi
