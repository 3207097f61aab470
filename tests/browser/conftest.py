"""Browser tests drive Debian's Chromium with Playwright (no browser download)."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# there are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: scripts/test installs it (apt-get install chromium).")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def offsite_requests(page, live_server):
    """Every request the page makes to anything but the portal itself (must stay empty)."""
    seen = []

    def check(route):
        if not route.request.url.startswith(live_server.url):
            seen.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", check)
    return seen


@pytest.fixture
def sign_in(page, live_server):
    def as_user(username, password="secret-pass-123"):
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_selector("[data-testid=signed-in-user]", state="attached")  # folded away on a phone

    return as_user


@pytest.fixture
def sign_out(page):
    def out():
        page.click("[data-testid=signed-in-user]")  # the menu under the person's name
        page.click("text=Sign out")
        page.wait_for_selector("input[name=username]")

    return out
