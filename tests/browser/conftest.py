"""End-to-end fixtures: a real index of the repo's corpus, a real `clio serve` (uWSGI) in a
subprocess, the demo page served from a second origin, and Debian's chromium via Playwright.

Nothing here touches the network: every server listens on a free loopback port. Chromium must be
installed (`apt-get install chromium`; never `playwright install`); set CLIO_SKIP_BROWSER=1 to
skip these tests on a machine without it.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from indexer.index import build_index

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "demo"
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = os.environ.get("CLIO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
DEMO_CLIO = "http://127.0.0.1:8080"  # where the demo page expects Clio; replaced when served

# A page whose title and text are markup: everything must show it as text, never run it.
HOSTILE_TITLE = '<img src=x onerror="window.pwned=1">"><script>window.pwned=2</script>'
HOSTILE_PAGE = f"""<!doctype html><html><head><meta charset="utf-8">
<title>{HOSTILE_TITLE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")}</title>
</head><body><main><h1>Quetzalhostile</h1>
<p>Quetzalhostile is a word found only on this page, which talks about
&lt;script&gt;window.pwned=3&lt;/script&gt; and &lt;img src=x onerror=alert(1)&gt; as text.
The Mongol armies of Genghis Khan crossed the steppe in the year 1219, so the page has a year.</p>
<p>It is long enough to be indexed like any other page about the history of the steppe
peoples, their horses, their trade routes and their wars with their neighbours.</p>
</main></body></html>"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen | None = None, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def e2e_corpus(tmp_path_factory) -> Path:
    """The repo's corpus plus one hostile page."""
    corpus = tmp_path_factory.mktemp("e2e") / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    (corpus / "hostile-site").mkdir()
    (corpus / "hostile-site" / "hostile.html").write_text(HOSTILE_PAGE, encoding="utf-8")
    return corpus


@pytest.fixture(scope="session")
def e2e_index(e2e_corpus) -> Path:
    index_dir = e2e_corpus.parent / "index"
    build_index(e2e_corpus, index_dir)
    return index_dir


@pytest.fixture(scope="session")
def clio_url(e2e_index, e2e_corpus, tmp_path_factory) -> str:
    """A real `clio serve` (uWSGI) on a free loopback port."""
    port = free_port()
    log = (tmp_path_factory.mktemp("serve") / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "indexer", "serve", "--index", str(e2e_index),
         "--corpus", str(e2e_corpus), "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/healthz", process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


class DemoHandler(SimpleHTTPRequestHandler):
    """Serves demo/, pointing the demo page at the Clio under test."""

    clio_url = DEMO_CLIO

    def send_head(self):
        if self.path.split("?")[0].endswith(".html"):
            path = Path(self.translate_path(self.path.split("?")[0]))
            if not path.is_file():
                self.send_error(404)
                return None
            body = path.read_text(encoding="utf-8").replace(DEMO_CLIO, self.clio_url).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def demo_url(clio_url) -> str:
    """The demo folder on a second origin (another port of localhost)."""
    handler = type("Handler", (DemoHandler,), {"clio_url": clio_url})
    server = ThreadingHTTPServer(("127.0.0.1", free_port()),
                                 functools.partial(handler, directory=str(DEMO)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    # "localhost" rather than 127.0.0.1: a different host as well as a different port.
    yield f"http://localhost:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if os.environ.get("CLIO_SKIP_BROWSER"):
        pytest.skip("CLIO_SKIP_BROWSER is set")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no chromium at {CHROMIUM}: apt-get install chromium "
                    "(or set CLIO_SKIP_BROWSER=1)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page; JavaScript errors and console errors (CSP violations too) fail the test."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def on_console(msg) -> None:
        where = (msg.location or {}).get("url", "")
        if msg.type == "error" and not where.endswith("/favicon.ico"):
            problems.append(f"console {msg.type}: {msg.text} ({where})")

    page.on("console", on_console)
    page.problems = problems
    yield page
    context.close()
    assert not problems, problems
