"""`followup-lint serve` in a real browser: Debian's Chromium, headless, driven by Selenium
through the system chromedriver (Selenium is pointed at it, so it never downloads a browser
or a driver). Skipped where Chromium is not installed; `.ci/run` installs it.

The writer's view: type a draft (emoji and accented letters included), wait for the
underlines and check each one covers exactly the finding's span; apply a safe fix by
keyboard and see the score move; preview and apply an unsafe fix; copy the email; fill the
dates to see too-early appear and go; tab through every control. A screenshot at 360 px
wide goes to docs/serve-screenshot.png. The coach's view: sort, chart, click through, Save.
"""

import os
import shutil
import time
from pathlib import Path

import pytest

pytest.importorskip("starlette")
selenium = pytest.importorskip("selenium")

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from followup_lint.serve import engine  # noqa: E402
from followup_lint.serve.server import in_thread  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOT = ROOT / "docs" / "serve-screenshot.png"
HEADLESS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

pytestmark = pytest.mark.skipif(
    not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)),
    reason="no Chromium here (apt-get install chromium chromium-driver)",
)

SUBJECT = "Thanks!! for the interview"
BODY = (
    "Hey Zoë,\n\nThx for the chat 😀 about the café role at Crème Studio. I'm excited about the role. "
    "Have you made a decision yet?\n\nBest,\nJosé"
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("coach")
    (root / "ana.txt").write_text(
        "---\nkind: thank-you\n---\nSubject: Thank you\n\nHi Sam,\n\nThank you for the interview "
        "yesterday. I enjoyed hearing about the clinic and I am keen on the role.\n\nBest,\nAna\n"
    )
    (root / "ben.txt").write_text(
        "Subject: Following up!!\n\nHey Sam,\n\nHave you made a decision yet? This is my third email. "
        "Could you tell me the salary range? I can give you a call tomorrow.\n\nthx\nBen\n"
    )
    (root / "cat.md").write_text("Hi Sam,\n\nThx for the chat. gonna send my portfolio asap.\n\nCat\n")
    return root


@pytest.fixture(scope="module")
def server(linter, folder):
    with in_thread(engine.source_for(linter, folder)) as running:
        yield running


@pytest.fixture(scope="module")
def driver():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in HEADLESS + ["--window-size=1280,1000"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        d = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    except WebDriverException as exc:
        pytest.skip(f"Chromium would not start here: {exc.msg}")
    d.set_script_timeout(20)
    yield d
    d.quit()


def insert(driver, text):
    """Type into the focused field: keystrokes for plain text, and the IME's insertText for
    characters chromedriver cannot type (emoji, outside the Basic Multilingual Plane)."""
    buffer = ""
    for ch in text:
        if ord(ch) > 0xFFFF:
            if buffer:
                driver.switch_to.active_element.send_keys(buffer)
                buffer = ""
            driver.execute_cdp_cmd("Input.insertText", {"text": ch})
        else:
            buffer += ch
    if buffer:
        driver.switch_to.active_element.send_keys(buffer)


def lint_seq(driver) -> int:
    return int(driver.execute_script("return document.getElementById('writer').dataset.lintSeq || '0'"))


def wait_lint(driver, after: int, timeout=30):
    """Until a lint newer than `after` is shown and no edit is waiting."""
    WebDriverWait(driver, timeout).until(
        lambda d: (
            lint_seq(d) > after
            and d.execute_script(
                "const s = window.followupLint; return s.result && !s.pending && s.seq === Number(document.getElementById('writer').dataset.lintSeq)"
                " && document.getElementById('status').textContent === ''"
            )
        )
    )


def result(driver) -> dict:
    return driver.execute_script("return window.followupLint.result.res")


def rules_shown(driver) -> list:
    return [li.get_attribute("data-rule") for li in driver.find_elements(By.CSS_SELECTOR, "#findings li.finding")]


def open_page(driver, server, hash_="#/"):
    driver.get(f"{server.url}{hash_}")
    driver.execute_script("sessionStorage.removeItem('followup-lint-draft')")
    driver.get(f"{server.url}{hash_}")
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return !!window.followupLint"))


def set_field(driver, element_id, value):
    field = driver.find_element(By.ID, element_id)
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.DELETE)
    if value:
        field.send_keys(value)


def test_writer_view_in_the_browser(driver, server, linter):
    open_page(driver, server)
    assert driver.execute_script("return location.search") == ""  # the token left the address bar
    seq = lint_seq(driver)
    driver.find_element(By.ID, "draft-subject").click()
    insert(driver, SUBJECT)
    driver.find_element(By.ID, "draft-body").click()
    insert(driver, BODY)
    wait_lint(driver, seq)
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#body-backdrop mark"))

    # The page built the same draft the CLI would read, and every underline is exactly the
    # finding's span (the page gets UTF-16 offsets; the linter counts code points).
    text = f"Subject: {SUBJECT}\n\n{BODY}"
    assert driver.execute_script("return window.followupLint.result.layout.text") == text
    report, _ = engine.lint_text(linter, text, {})
    page = result(driver)
    assert [f["rule"] for f in page["findings"]] == [f.rule for f in report.findings]
    assert page["score"] == report.score
    underlined = 0
    for mine, theirs in zip(page["findings"], report.findings):
        shown = driver.execute_script(
            "return Array.from(document.querySelectorAll('.hl mark')).filter(m => m.dataset.ids.split(' ')"
            ".includes(String(arguments[0]))).map(m => m.textContent).join('')",
            mine["id"],
        )
        span = text[theirs.start : theirs.end]
        if theirs.start < theirs.end and (theirs.start >= len("Subject: ")):
            assert shown == span, (mine["rule"], shown, span)
            underlined += 1
    assert underlined >= 4
    assert "😀" in text and any(
        "Zoë" in m.text or "Thx" in m.get_attribute("textContent")
        for m in driver.find_elements(By.CSS_SELECTOR, "#body-backdrop mark")
    )

    # A safe fix, by keyboard: Enter on its button applies it at once; the score moves.
    before = page["score"]
    fix = driver.find_element(By.XPATH, "//li[@data-rule='needy']//button[contains(@class,'safe')]")
    seq = lint_seq(driver)
    fix.send_keys(Keys.ENTER)
    wait_lint(driver, seq)
    assert driver.find_element(By.ID, "draft-subject").get_attribute("value") == "Thanks! for the interview"
    assert "needy" not in rules_shown(driver)
    assert result(driver)["score"] > before
    assert driver.find_element(By.ID, "gauge").get_attribute("aria-valuenow") == str(result(driver)["score"])
    assert driver.find_element(By.ID, "score").text == str(result(driver)["score"])
    # ... and one in the body: the words change in place.
    fix = driver.find_element(
        By.XPATH, "//li[@data-rule='too-casual']//button[contains(@class,'safe') and contains(., 'Thx')]"
    )
    seq = lint_seq(driver)
    fix.send_keys(Keys.ENTER)
    wait_lint(driver, seq)
    body = driver.find_element(By.ID, "draft-body").get_attribute("value")
    assert "Thanks for the chat 😀 about the café role" in body and "Thx" not in body

    # An unsafe fix is previewed first; nothing changes until Apply.
    preview = driver.find_element(By.XPATH, "//li[@data-rule='pushy']//button[contains(@class,'unsafe')]")
    preview.send_keys(Keys.ENTER)
    box = WebDriverWait(driver, 5).until(lambda d: d.find_element(By.CSS_SELECTOR, "#findings .preview"))
    assert "Have you made a decision yet?" in box.find_element(By.TAG_NAME, "del").text
    assert driver.find_element(By.ID, "draft-body").get_attribute("value") == body
    assert driver.switch_to.active_element.text == "Apply this change"
    seq = lint_seq(driver)
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    wait_lint(driver, seq)
    body = driver.find_element(By.ID, "draft-body").get_attribute("value")
    assert "made a decision" not in body and "pushy" not in rules_shown(driver)

    # Copy email: the clean text, on the clipboard.
    origin = server.base
    try:
        driver.execute_cdp_cmd(
            "Browser.grantPermissions",
            {"origin": origin, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
        )
    except WebDriverException:
        pass
    driver.find_element(By.ID, "copy").click()
    WebDriverWait(driver, 5).until(lambda d: "Copied" in d.find_element(By.ID, "copy-status").text)
    expected = body.rstrip() + "\n"
    assert driver.execute_script("return window.followupLint.copied") == expected
    pasted = driver.execute_async_script(
        "const done = arguments[0]; navigator.clipboard.readText().then(done, () => done(null));"
    )
    if pasted is not None:
        assert pasted == expected

    # The dates: a check-in two days after the interview is too early; a week later it is not.
    driver.find_element(By.CSS_SELECTOR, "#ctx-kind").send_keys("check-in")
    seq = lint_seq(driver)
    set_field(driver, "ctx-interview_date", "2026-11-03")
    set_field(driver, "ctx-send_date", "2026-11-05")
    wait_lint(driver, seq)
    WebDriverWait(driver, 10).until(lambda d: "too-early" in rules_shown(d))
    assert "too early" in driver.find_element(By.ID, "schedule-verdict").text
    assert "Earliest check-in" in driver.find_element(By.ID, "schedule").text
    seq = lint_seq(driver)
    set_field(driver, "ctx-send_date", "2026-11-12")
    wait_lint(driver, seq)
    WebDriverWait(driver, 10).until(lambda d: "too-early" not in rules_shown(d))
    assert "on time" in driver.find_element(By.ID, "schedule-verdict").text
    set_field(driver, "ctx-send_date", "03/11/2026")
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "err-send_date").text)

    _no_console_errors(driver)


def test_every_control_is_reachable_by_keyboard(driver, server):
    open_page(driver, server)
    seq = lint_seq(driver)
    driver.find_element(By.ID, "draft-subject").click()
    insert(driver, SUBJECT)
    driver.find_element(By.ID, "draft-body").click()
    insert(driver, BODY)
    wait_lint(driver, seq)
    driver.execute_script("window.scrollTo(0, 0); document.querySelector('a.skip').focus()")  # the first stop
    seen = []
    for _ in range(200):
        a = driver.switch_to.active_element
        seen.append(a.get_attribute("id") or a.get_attribute("data-focus") or a.text.strip()[:30])
        if a.get_attribute("id") == "ctx-role":  # the last control on the page
            break
        a.send_keys(Keys.TAB)
    for control in [
        "draft-subject",
        "copy-subject",
        "draft-body",
        "copy",
        "fix-all",
        "ctx-kind",
        "ctx-setting",
        "ctx-interview_date",
        "ctx-reply_promised_by",
        "ctx-send_date",
        "ctx-interviewer",
        "ctx-company",
        "ctx-role",
        "nav-write",
        "nav-folder",
    ]:
        assert control in seen, (control, seen)
    assert any(s.startswith("show-") for s in seen) and any(s.startswith("fix-") for s in seen)
    assert any(s.startswith("More about") for s in seen)
    # Keyboard use, not just focus: Enter on "Show in text" selects the finding's words.
    show = driver.find_element(By.CSS_SELECTOR, "#findings li[data-rule='too-casual'] button.show")
    show.send_keys(Keys.ENTER)
    selected = driver.execute_script(
        "const a = document.activeElement; return a.value.slice(a.selectionStart, a.selectionEnd)"
    )
    assert selected and selected in BODY
    # Space opens "More about" with the --explain text.
    summary = driver.find_element(By.CSS_SELECTOR, "#findings li details summary")
    summary.send_keys(Keys.SPACE)
    WebDriverWait(driver, 10).until(
        lambda d: "Why it matters" in d.find_element(By.CSS_SELECTOR, "#findings li details pre").text
    )


def test_readable_at_360_px_and_screenshot(driver, server):
    open_page(driver, server)
    driver.set_window_size(360, 1500)
    width = driver.execute_script("return window.innerWidth")
    seq = lint_seq(driver)
    driver.find_element(By.ID, "draft-subject").click()
    insert(driver, "Following up!!")
    driver.find_element(By.ID, "draft-body").click()
    insert(
        driver,
        "Hi Dana,\n\nThank you for the chat about the café role 😀. I enjoyed hearing about the new clinic "
        "and I am excited about the role. gonna send my portfolio asap.\n\nBest,\nJosé",
    )
    wait_lint(driver, seq)
    driver.execute_script("document.activeElement.blur(); window.scrollTo(0, 0)")
    time.sleep(0.5)  # the gauge's transition
    assert width <= 380
    # Nothing wider than the screen: no sideways scrolling, every control inside the viewport.
    assert driver.execute_script("return document.documentElement.scrollWidth") <= width
    for control in driver.find_elements(
        By.CSS_SELECTOR, "#writer button, #writer textarea, #writer input, #writer select"
    ):
        if control.is_displayed():
            box = control.rect
            assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, control.get_attribute("id")
    font = driver.execute_script("return parseFloat(getComputedStyle(document.getElementById('draft-body')).fontSize)")
    assert font >= 16  # no zoom-on-focus, readable without pinching
    SCREENSHOT.parent.mkdir(exist_ok=True)
    driver.set_window_size(360, 1180)
    time.sleep(0.3)
    driver.save_screenshot(str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000
    driver.set_window_size(1280, 1000)


def test_coach_view_sort_chart_click_through_and_save(driver, server, folder):
    open_page(driver, server, "#/folder")
    WebDriverWait(driver, 60).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#drafts tbody tr")) == 3)

    def column(index):
        return [td.text for td in driver.find_elements(By.CSS_SELECTOR, f"#drafts tbody tr td:nth-child({index})")]

    def scores():
        return [int(s) for s in column(3)]

    driver.find_element(By.CSS_SELECTOR, "th button[data-key='score']").click()
    first = scores()
    driver.find_element(By.CSS_SELECTOR, "th button[data-key='score']").send_keys(Keys.ENTER)  # by keyboard too
    second = scores()
    assert sorted(first) in (first, second) and sorted(first, reverse=True) in (first, second) and first != second
    assert driver.find_element(By.CSS_SELECTOR, "th[data-key='score']").get_attribute("aria-sort") in (
        "ascending",
        "descending",
    )
    driver.find_element(By.CSS_SELECTOR, "th button[data-key='path']").click()
    assert column(1) == ["ana.txt", "ben.txt", "cat.md"]

    bars = driver.find_elements(By.CSS_SELECTOR, "#chart li")
    counts = [int(li.find_element(By.CSS_SELECTOR, ".n").text) for li in bars]
    assert counts and counts == sorted(counts, reverse=True)
    widths = [li.find_element(By.CSS_SELECTOR, ".fill").size["width"] for li in bars]
    assert widths[0] > 0 and widths == sorted(widths, reverse=True)

    before = (folder / "ben.txt").read_text()
    driver.find_element(By.LINK_TEXT, "ben.txt").click()
    WebDriverWait(driver, 20).until(lambda d: d.find_element(By.ID, "file-name").text == "ben.txt")
    WebDriverWait(driver, 20).until(
        lambda d: d.find_element(By.ID, "draft-body").get_attribute("value").startswith("Hey Sam")
    )
    assert driver.find_element(By.ID, "draft-subject").get_attribute("value") == "Following up!!"
    seq = lint_seq(driver)
    body = driver.find_element(By.ID, "draft-body")
    body.send_keys(Keys.CONTROL, Keys.END)
    body.send_keys(" Thank you for your time.")
    wait_lint(driver, seq)
    assert (folder / "ben.txt").read_text() == before  # nothing is written without Save
    assert driver.find_element(By.ID, "dirty").is_displayed()
    driver.find_element(By.ID, "save").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "save-status").text.startswith("Saved"))
    after = (folder / "ben.txt").read_text()
    assert after.endswith("Ben Thank you for your time.\n") or "Thank you for your time." in after
    assert after.startswith("Subject: Following up!!\n\nHey Sam,")
    assert not driver.find_element(By.ID, "dirty").is_displayed()
    _no_console_errors(driver)


def _no_console_errors(driver):
    try:
        logs = driver.get_log("browser")
    except (WebDriverException, AttributeError):
        return
    bad = [e for e in logs if e["level"] == "SEVERE" and "favicon" not in e["message"]]
    assert not bad, bad  # a CSP violation or a script error would show here
