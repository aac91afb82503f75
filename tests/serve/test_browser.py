"""`paperlayout serve` in a real browser: headless Debian Chromium driven by Selenium through
the system chromedriver (no browser download). Skipped, with the reason, only where Chromium
or its driver is not installed (CI installs both: see tests/serve/install-chromium.sh).

Screenshots go to the test's temporary folder, and to $PAPERLAYOUT_SCREENSHOTS when set
(docs/editing.md's pictures are made that way)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip("Chromium and chromium-driver are not installed (apt-get install -y chromium chromium-driver)",
                allow_module_level=True)
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from .conftest import WAIT  # noqa: E402


@pytest.fixture
def browser(tmp_path):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1400,1000", "--lang=zh-CN"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(WAIT)
    yield driver
    driver.quit()


def _shot(driver, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    driver.save_screenshot(str(path))
    target = os.environ.get("PAPERLAYOUT_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)


def _until(driver, condition, what: str):
    from selenium.common.exceptions import StaleElementReferenceException

    # an element redrawn between finding and reading it is asked for again, not a failure
    return WebDriverWait(driver, WAIT, poll_frequency=0.02, ignored_exceptions=(StaleElementReferenceException,)
                         ).until(lambda d: condition(d), message=what)


def _loaded_images(driver) -> list[str]:
    """The src of every proof image that has finished loading (natural size known)."""
    return driver.execute_script(
        "return [...document.querySelectorAll('img.proof')].filter(i => i.complete && i.naturalWidth > 0)"
        ".map(i => i.getAttribute('src'))")


def _open(driver, server) -> None:
    driver.get(server.url)
    state = server.get_state()
    want = [p["url"] for p in state["pages"] if p["url"]]
    _until(driver, lambda d: _loaded_images(d) == want, f"proof images {want} shown")
    _until(driver, lambda d: d.execute_script("return document.body.dataset.version") == str(state["version"]),
           "the state drawn")


def test_every_page_and_every_diagnostic_box_appears(browser, crafted_server, tmp_path):
    server = crafted_server
    _open(browser, server)
    state = server.get_state()
    assert [p["number"] for p in state["pages"]] == [1]
    marks = [(m["index"], m["code"]) for p in state["pages"] for m in p["marks"]]
    assert sum(code == "unbreakable-split" for _, code in marks) >= 3
    shown = [(int(e.get_attribute("data-index")), e.get_attribute("data-code"))
             for e in browser.find_elements(By.CSS_SELECTOR, ".mark")]
    assert shown == marks
    for box in browser.find_elements(By.CSS_SELECTOR, ".mark"):
        assert box.size["width"] > 0 and box.size["height"] > 0
    items = browser.find_elements(By.CSS_SELECTOR, "#diagnostics li")
    assert len(items) == len(state["diagnostics"])
    # the list links to the boxes: a click on a loose line's entry marks its box
    index = next(i for i, code in marks if code == "unbreakable-split")
    browser.find_element(By.ID, "zoom-actual").click()  # the page at its printed size
    browser.find_element(By.CSS_SELECTOR, f'#diagnostics li[data-index="{index}"]').click()
    assert browser.find_element(By.CSS_SELECTOR, f'.mark[data-index="{index}"]').get_attribute("class").endswith("flash")
    _shot(browser, tmp_path, "serve-diagnostic")
    browser.execute_script("window.scrollTo(0, 0)")
    browser.find_element(By.ID, "view-sheet").click()
    _until(browser, lambda d: len(_loaded_images(d)) == 1, "contact sheet")
    widths = [e.size["width"] for e in browser.find_elements(By.CSS_SELECTOR, ".page")]
    assert len(widths) == 1 and max(widths) < 400
    _shot(browser, tmp_path, "serve-contact-sheet")
    browser.find_element(By.ID, "zoom-pixels").click()  # one proof pixel per screen pixel
    assert browser.find_element(By.CSS_SELECTOR, ".page").size["width"] == state["pages"][0]["width"]
    browser.find_element(By.ID, "zoom-actual").click()  # printed size on a 96-dpi screen
    assert browser.find_element(By.CSS_SELECTOR, ".page").size["width"] == round(state["pages"][0]["width"] * 96 / 150)


def test_edit_shows_on_the_page_and_a_bad_save_shows_the_located_error(browser, sample_server, tmp_path):
    server = sample_server
    _open(browser, server)
    _shot(browser, tmp_path, "serve-page")
    before = _loaded_images(browser)

    started = time.perf_counter()
    server.edit(lambda text: text.replace("3月15日", "3月16日", 1))
    _until(browser, lambda d: (lambda now: len(now) == 1 and now != before)(_loaded_images(d)), "the page updates")
    seconds = time.perf_counter() - started
    state = server.get_state()
    print(f"\nedit → page updated in the browser: {seconds:.2f} s (server build {state['seconds']} s)")
    (tmp_path / "edit-seconds.txt").write_text(f"{seconds:.3f}\n")
    after = _loaded_images(browser)

    server.edit(lambda text: text.replace("pages:", "pages: [", 1))
    # the text is read inside the wait, once, when it says what it must (the page may redraw
    # the error box between two reads of a found element)
    shown = _until(browser, lambda d: (lambda e: e.is_displayed() and "malformed YAML" in e.text and e.text)(
        d.find_element(By.ID, "error")), "error shown")
    assert "issue.yaml:" in shown and "malformed YAML" in shown
    assert _loaded_images(browser) == after  # the last good proof stays
    _shot(browser, tmp_path, "serve-error")

    server.edit(lambda text: text.replace("pages: [", "pages:", 1))
    _until(browser, lambda d: not d.find_element(By.ID, "error").is_displayed(), "error cleared")
    _until(browser, lambda d: _loaded_images(d) == after, "proofs back")
