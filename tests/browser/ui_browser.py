"""Drive `uvtool ui` in headless Chromium (selenium + chromedriver).

Run by the Rust integration test `ui::browser_*` with a running page:

    python ui_browser.py --url URL --chromium PATH --driver PATH --out DIR \
        --valid TOKEN --expired TOKEN --malformed TOKEN

For each token it types the token into the page like a person pasting it,
waits for the verdict, asserts the verdict text, the reason and the
timeline, and saves a full-page screenshot as DIR/<case>.png. It also opens
URL#token=TOKEN and checks that the fragment is read and then dropped from
the address bar. Any failed expectation exits non-zero with the reason.
Prints one JSON line of what it saw.
"""

import argparse
import json
import sys
import tempfile
import time

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--window-size=1280,1000",
]


def text(driver, element_id):
    return driver.find_element(By.ID, element_id).text


def wait_for(driver, what, cond, timeout=15):
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: cond(d))
    except TimeoutException:
        state = {i: text(driver, i) for i in ("platform-state", "platform-reason", "status")}
        sys.exit(f"timed out waiting for {what}; page shows {state}")


def screenshot(driver, path):
    """A full-page screenshot: the viewport set to the page's height first."""
    height = driver.execute_script(
        "return Math.ceil(document.documentElement.scrollHeight)"
    )
    metrics = {"width": 1280, "height": min(max(height, 600), 6000)}
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        dict(metrics, deviceScaleFactor=1, mobile=False),
    )
    time.sleep(0.1)
    driver.save_screenshot(path)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def paste(driver, token):
    box = driver.find_element(By.ID, "token")
    box.click()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    box.send_keys(token)


def check_case(driver, name, token, state, reason_part, timeline, out):
    paste(driver, token)
    wait_for(
        driver,
        f"{name}: verdict {state} with {reason_part!r}",
        lambda d: text(d, "platform-state") == state
        and reason_part in text(d, "platform-reason"),
    )
    got = {
        "platform": text(driver, "platform-state"),
        "platform_reason": text(driver, "platform-reason"),
        "rfc": text(driver, "rfc-state"),
        "rfc_reason": text(driver, "rfc-reason"),
    }
    marks = {
        e.get_attribute("data-mark")
        for e in driver.find_elements(By.CSS_SELECTOR, "#timeline svg [data-mark]")
    }
    if timeline:
        for m in ("now", "exp", "iat", "life", "leeway"):
            if m not in marks:
                sys.exit(f"{name}: the timeline has no {m!r} mark (has {sorted(marks)})")
        if "cert" not in marks:
            sys.exit(f"{name}: the timeline does not show the certificate window")
    elif marks:
        sys.exit(f"{name}: a timeline was drawn for a token without times: {sorted(marks)}")
    got["timeline"] = sorted(marks)
    got["findings"] = len(driver.find_elements(By.CSS_SELECTOR, "#findings li.finding"))
    screenshot(driver, f"{out}/{name}.png")
    return got


def main():
    ap = argparse.ArgumentParser()
    for a in ("url", "chromium", "driver", "out", "valid", "expired", "malformed"):
        ap.add_argument("--" + a, required=True)
    args = ap.parse_args()

    opts = Options()
    opts.binary_location = args.chromium
    profile = tempfile.mkdtemp(prefix="uvtool-chromium-")
    for f in CHROMIUM_FLAGS + ["--user-data-dir=" + profile]:
        opts.add_argument(f)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=args.driver), options=opts)
    driver.set_page_load_timeout(20)
    seen = {}
    try:
        driver.get(args.url)
        wait_for(driver, "the page to list the keys", lambda d: text(d, "keysource") != "")
        if "fixture-a" not in driver.find_element(By.ID, "keys").text:
            sys.exit("the key table does not list kid fixture-a")
        screenshot(driver, f"{args.out}/empty.png")

        seen["valid"] = check_case(
            driver, "valid", args.valid, "VALID", "would accept", True, args.out
        )
        if seen["valid"]["rfc"] != "VALID":
            sys.exit(f"valid: the RFC profile says {seen['valid']['rfc']}")
        if "signature verifies" not in driver.find_element(By.ID, "keys").text:
            sys.exit("valid: the key table does not mark the verifying key")
        seen["expired"] = check_case(
            driver, "expired", args.expired, "INVALID", "expired", True, args.out
        )
        seen["malformed"] = check_case(
            driver, "malformed", args.malformed, "INVALID", "malformed token", False, args.out
        )

        # The fragment: read, then dropped from the address bar.
        driver.get(args.url + "#token=" + args.valid)
        wait_for(
            driver,
            "the #token= fragment to be verified",
            lambda d: text(d, "platform-state") == "VALID",
        )
        if driver.execute_script("return location.hash") != "":
            sys.exit("the #token= fragment stayed in the address bar")
        seen["fragment"] = "VALID"

        # Nothing blocked by the Content-Security-Policy, no script errors.
        problems = [
            e["message"]
            for e in driver.get_log("browser")
            if e.get("level") == "SEVERE"
        ]
        if problems:
            sys.exit(f"browser console errors: {problems}")
    finally:
        driver.quit()
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
