"""Browser tests: the real app served by uvicorn on 127.0.0.1, driven by Debian's chromium via Playwright.

- The server runs in a background thread on the seeded test database of tests/conftest.py
  (the `engine` fixture migrates and seeds it first).
- Playwright never downloads a browser: it launches /usr/bin/chromium (`make browser-deps` installs it).
  Without it the browser tests are skipped with a clear reason.
- Every request that does not go to 127.0.0.1 is aborted, so map tiles never reach the internet
  and the tests are deterministic.
"""
import os
import re
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"

MOBILE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}

def pytest_collection_modifyitems(config, items):
    """Every test in this folder needs the browser: skip them all when chromium is missing."""
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"Browser tests need Debian's chromium at {CHROMIUM}: run `make browser-deps`")
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def base_url(engine) -> str:
    """The app, served for real by uvicorn in a background thread."""
    import uvicorn

    from app.main import app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False))
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Browser tests need Debian's chromium at {CHROMIUM}: run `make browser-deps`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


AXE_URL_PATH = "/__test__/axe.min.js"
# Only requests that are not for the test server reach Python (and are aborted): the pattern is
# matched inside the browser driver, so the app's own requests are not slowed down.
NOT_LOCAL = re.compile(r"^(?!http://127\.0\.0\.1[:/])")


def _abort(route) -> None:
    route.abort()


def _serve_axe(route) -> None:
    # axe-core from tests/browser/vendor, served as if same-origin: the strict CSP
    # (script-src 'self', no inline script) stays on while axe runs.
    route.fulfill(path=AXE, content_type="application/javascript")


def _context(browser, base_url: str, viewport: dict, **kwargs):
    context = browser.new_context(viewport=viewport, base_url=base_url, locale="nl-NL",
                                  timezone_id="Europe/Amsterdam", **kwargs)
    context.set_default_timeout(10_000)
    context.route(NOT_LOCAL, _abort)
    context.route(f"{base_url}{AXE_URL_PATH}", _serve_axe)
    return context


@pytest.fixture
def make_page(browser, base_url):
    """make_page(width, height, **context options) -> a fresh page; closed after the test."""
    contexts = []

    def make(width: int, height: int, **kwargs):
        context = _context(browser, base_url, {"width": width, "height": height}, **kwargs)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def mobile_page(make_page):
    return make_page(**MOBILE)


@pytest.fixture
def desktop_page(make_page):
    return make_page(**DESKTOP)


@pytest.fixture
def nojs_page(make_page):
    return make_page(**MOBILE, java_script_enabled=False)


@pytest.fixture(scope="session")
def run_axe():
    """run_axe(page, tags) -> axe results (violations only) for the page as it is now."""

    def run(page, tags: list[str]) -> dict:
        page.add_script_tag(url=AXE_URL_PATH)
        return page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            tags,
        )

    return run


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS

