"""End to end: the real server process, driven by headless Chromium (Debian's chromium)."""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from complaint_workflow import LONDON
from complaint_workflow.service.auth import SESSION_COOKIE
from complaint_workflow.service.testing import running_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
DOCS = Path(__file__).resolve().parent.parent / "docs"

needs_chromium = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="Chromium is not installed (apt-get install chromium chromium-driver)",
)


def _seed(base: str, token: str) -> None:
    """Open a few complaints around today, through the API."""
    auth = {"Authorization": f"Bearer {token}"}
    now = datetime.now(LONDON).replace(microsecond=0)

    def at(days: float) -> str:
        return (now - timedelta(days=days)).isoformat()

    with httpx.Client(base_url=base, headers=auth, timeout=30) as c:
        specs: list[tuple[str, dict[str, Any], list[dict[str, Any]]]] = [
            (
                "E2E-1",
                {
                    "complainant": "child",
                    "received_at": at(9),
                    "hearing": _weekday(now + timedelta(days=12)).isoformat(),
                },
                [
                    {"type": "forwarded-to-cst", "at": at(8.9)},
                    {"type": "contact-made", "at": at(7)},
                    {"type": "assessed", "at": at(6), "aspects": ["professional-judgement"]},
                    {"type": "triaged", "at": at(6), "route": "investigation"},
                ],
            ),
            ("E2E-2", {"complainant": "adult", "received_at": at(2)}, []),
            (
                "E2E-3",
                {"complainant": "adult", "received_at": at(4)},
                [{"type": "forwarded-to-cst", "at": at(3.9)}],
            ),
        ]
        for complaint_id, facts, events in specs:
            body = {
                "complaint_id": complaint_id,
                "policy": "cafcass-web",
                "personal": {"name": "Browser Secret Person", "text": "private words"},
                **facts,
            }
            r = c.post("/api/complaints", json=body)
            assert r.status_code == 201, r.text
            for version, event in enumerate(events, 1):
                r = c.post(
                    f"/api/complaints/{complaint_id}/events",
                    json={**event, "expected_version": version},
                )
                assert r.status_code == 200, r.text


def _weekday(when: datetime) -> date:
    day = when.date()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _driver(profile: Path) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--window-size=1280,1400",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


@needs_chromium
def test_browser_logs_in_follows_a_complaint_and_sees_its_timeline(tmp_path: Path) -> None:
    """Log in with the printed token, open the worklist, follow a complaint by keyboard, and
    find one SVG bar per obligation the API lists; screenshots go to the test's directory."""
    pytest.importorskip("selenium", reason="selenium is not installed")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    with running_server(tmp_path / "cw.db") as server:
        assert "token=" in server.login_url
        _seed(server.base, server.token)
        profile = Path(tempfile.mkdtemp(prefix="cw-chromium-", dir=tmp_path))
        driver = _driver(profile)
        try:
            wait = WebDriverWait(driver, 30)
            driver.get(f"{server.base}/")
            field = wait.until(ec.presence_of_element_located((By.ID, "token")))
            assert driver.find_element(By.TAG_NAME, "h1").text == "Log in"
            field.send_keys(server.token)
            field.send_keys(Keys.ENTER)
            wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Worklist"))
            cookie = driver.get_cookie(SESSION_COOKIE)
            assert cookie is not None
            assert cookie["httpOnly"] is True
            assert cookie["sameSite"] == "Strict"
            groups = [
                s.get_attribute("data-group")
                for s in driver.find_elements(By.CSS_SELECTOR, "section[data-group]")
            ]
            assert groups == ["overdue", "today", "at-risk", "next"]
            assert "Browser Secret Person" not in driver.page_source
            driver.save_screenshot(str(tmp_path / "worklist.png"))

            # Keyboard first: the skip link is the first stop, then follow the row's link.
            driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
            assert driver.switch_to.active_element.get_attribute("class") == "skip"
            link = driver.find_element(By.CSS_SELECTOR, 'a[href="/complaints/E2E-1"]')
            link.send_keys(Keys.ENTER)
            wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Complaint E2E-1"))

            bars = driver.find_elements(By.CSS_SELECTOR, "svg g.obligation")
            shown = [(b.get_attribute("data-id"), b.get_attribute("data-due")) for b in bars]
            api = httpx.get(
                f"{server.base}/api/complaints/E2E-1",
                headers={"Authorization": f"Bearer {server.token}"},
            ).json()
            assert shown == [(o["id"], o["due"]) for o in api["obligations"]]
            assert shown
            events = driver.find_elements(By.CSS_SELECTOR, "svg g.event")
            assert [e.get_attribute("data-type") for e in events] == [
                e["type"] for e in api["events"]
            ]
            assert driver.find_elements(By.CSS_SELECTOR, "svg g.hearing")
            assert "Browser Secret Person" not in driver.page_source
            driver.save_screenshot(str(tmp_path / "complaint.png"))

            # 200% zoom of a 1280px window is a 640px viewport: nothing overflows sideways.
            driver.set_window_size(640, 1000)
            for path in ("/", "/complaints/E2E-1"):
                driver.get(f"{server.base}{path}")
                wide = driver.execute_script(
                    "return document.documentElement.scrollWidth - window.innerWidth"
                )
                assert wide <= 1, f"{path} overflows by {wide}px at 640px"
                driver.save_screenshot(str(tmp_path / f"zoom{path.replace('/', '-')}.png"))
        finally:
            driver.quit()
            shutil.rmtree(profile, ignore_errors=True)

    for name in ("worklist.png", "complaint.png"):
        assert (tmp_path / name).stat().st_size > 10_000
    if os.environ.get("CW_UPDATE_SCREENSHOTS") == "1":
        shutil.copy(tmp_path / "worklist.png", DOCS / "service-worklist.png")
        shutil.copy(tmp_path / "complaint.png", DOCS / "service-complaint.png")


def test_printed_login_url_logs_in(tmp_path: Path) -> None:
    """Without COMPLAINT_WORKFLOW_TOKEN the server makes a token and prints a URL that logs in."""
    with running_server(tmp_path / "cw.db") as server:
        assert len(server.token) >= 32
        r = httpx.get(server.login_url, follow_redirects=False)
        assert r.status_code == 303
        assert SESSION_COOKIE in r.headers["set-cookie"]
        assert httpx.get(f"{server.base}/api/worklist").status_code == 401
        ok = httpx.get(
            f"{server.base}/api/worklist", headers={"Authorization": f"Bearer {server.token}"}
        )
        assert ok.status_code == 200
    log = (tmp_path / "cw.log").read_text()
    assert server.token not in log


def test_token_from_the_environment(tmp_path: Path) -> None:
    """With COMPLAINT_WORKFLOW_TOKEN set, that token is the one, and it is never printed."""
    token = "environment-token-0123456789"
    with running_server(tmp_path / "cw.db", token=token) as server:
        assert token not in server.login_url
        auth = {"Authorization": f"Bearer {token}"}
        assert httpx.get(f"{server.base}/api/worklist", headers=auth).status_code == 200
        wrong = {"Authorization": "Bearer something-else-entirely"}
        assert httpx.get(f"{server.base}/api/worklist", headers=wrong).status_code == 401
