#!/usr/bin/env python3
"""The console in a real browser (DESIGN §11): headless Chromium through selenium, with
axe-core 4.x on every page (WCAG 2.0 and 2.1, A and AA: zero violations), a keyboard-only
sign-in, no horizontal scroll at 320 px, and no browser console error. Mails are read from
the SMTP sink's Maildir, as a person would open them.

    console_test.py --base http://127.0.0.1:PORT --maildir DIR --axe PATH/axe.min.js

scripts/browser-tests.sh starts the server (on the demo data), the sink and this script.
"""
import argparse
import os
import email
import json
import mailbox
import re
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.action_chains import ActionChains
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

passed = 0
failed = 0


def check(condition, name, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"✔ {name}")
    else:
        failed += 1
        print(f"✘ {name}")
        if detail:
            print("    " + str(detail).replace("\n", "\n    ")[:3000])


class Console:
    def __init__(self, base, maildir, axe_source, screenshots=None):
        self.base = base
        self.screenshots = screenshots
        if screenshots:
            os.makedirs(screenshots, exist_ok=True)
        self.maildir = maildir
        self.axe_source = axe_source
        options = webdriver.ChromeOptions()
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900"]:
            options.add_argument(argument)
        options.binary_location = "/usr/bin/chromium"
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = webdriver.ChromeService(executable_path="/usr/bin/chromedriver")
        self.driver = webdriver.Chrome(options=options, service=service)
        self.driver.set_script_timeout(30)
        self.pages_checked = set()

    def shot(self, name, width=1280):
        """A screenshot of the whole page as it is now, `width` CSS pixels wide."""
        if not self.screenshots:
            return
        height = self.driver.execute_script("return Math.min(document.documentElement.scrollHeight, 1400)")
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        time.sleep(0.2)
        self.driver.save_screenshot(os.path.join(self.screenshots, name + ".png"))
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def quit(self):
        self.driver.quit()

    def open(self, path):
        self.driver.get(self.base + path)

    def find(self, selector):
        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def shows(self, selector):
        """Whether an element is on the page and displayed."""
        found = self.driver.find_elements(By.CSS_SELECTOR, selector)
        return bool(found) and found[0].is_displayed()

    def text_of(self, selector):
        found = self.driver.find_elements(By.CSS_SELECTOR, selector)
        return found[0].text if found else ""

    def text(self):
        return self.find("body").text

    def axe(self, name):
        """axe-core on the page as it is now: zero violations of the WCAG 2.x A and AA rules."""
        self.driver.execute_script(self.axe_source)
        result = self.driver.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
               .then(r => done(JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                     nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))))
               .catch(e => done(JSON.stringify([{id: 'axe-error', help: String(e)}])));
            """
        )
        violations = json.loads(result)
        check(not violations, f"axe: no WCAG 2.1 A/AA violation on {name}", json.dumps(violations, indent=1))
        self.reflows(name)
        self.console_clean(name)

    def reflows(self, name):
        """At 320 CSS pixels wide, nothing scrolls sideways (WCAG 1.4.10). The viewport is
        emulated: a headless window will not shrink below about 500 px."""
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 320, "height": 800, "deviceScaleFactor": 1, "mobile": False})
        time.sleep(0.2)
        width, wide = self.driver.execute_script(
            "return [window.innerWidth, document.documentElement.scrollWidth - document.documentElement.clientWidth]"
        )
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        check(width == 320 and wide <= 0, f"no horizontal scroll at 320 px on {name}", f"viewport {width} px, {wide} px too wide")

    def console_clean(self, name):
        """No script error and no resource that failed to load. One kind of entry is left out:
        Chrome logs the page's own 4xx status (a form with errors answers 422, a wrong
        password 401, a used link 404, as HTTP means them), which the walk checks itself."""
        page = self.driver.current_url
        errors = [
            entry for entry in self.driver.get_log("browser")
            if entry["level"] == "SEVERE" and not (entry.get("source") == "network" and entry["message"].startswith(page + " "))
        ]
        check(not errors, f"no browser console error on {name}", errors)

    def fill(self, values):
        for name, value in values.items():
            field = self.find(f"[name='{name}']")
            field.clear()
            field.send_keys(value)

    def navigating(self, action):
        """Runs `action` (a click, a key) and waits for the next page to load."""
        old = self.find("html")
        action()

        def replaced(_):
            # Chromium answers a stale node either way: StaleElementReference, or an
            # inspector error ("Node … does not belong to the document").
            try:
                old.is_enabled()
                return False
            except WebDriverException:
                return True

        WebDriverWait(self.driver, 15).until(replaced)
        WebDriverWait(self.driver, 15).until(lambda driver: driver.execute_script("return document.readyState") == "complete")

    def click(self, selector):
        self.navigating(lambda: self.find(selector).click())

    def submit(self):
        self.click("main form button[type='submit']")

    def sign_in(self, address, password):
        self.open("/login")
        self.fill({"email": address, "password": password})
        self.submit()

    def sign_out(self):
        self.click("header form button")

    def mail_to(self, address, containing, seconds=30):
        """The text of the newest mail to `address` whose text holds `containing`."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            box = mailbox.Maildir(self.maildir, create=False)
            found = []
            for key in box.keys():
                message = email.message_from_bytes(box.get_bytes(key))
                if address not in (message["To"] or ""):
                    continue
                for part in message.walk():
                    if part.get_content_type() == "text/plain":
                        text = part.get_payload(decode=True).decode("utf-8")
                        if containing in text:
                            found.append((message["Date"], text, message))
            if found:
                return found[-1]
            time.sleep(0.5)
        return None


def api(base, method, path, token=None, body=None):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request) as response:
        text = response.read().decode()
        return json.loads(text) if text else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--axe", required=True)
    parser.add_argument("--screenshots", help="a folder for the screenshots taken on the way")
    options = parser.parse_args()
    with open(options.axe, encoding="utf-8") as file:
        axe_source = file.read()
    console = Console(options.base, options.maildir, axe_source, options.screenshots)
    try:
        walk(console, options)
    finally:
        console.quit()
    print(f"browser: {passed} passed, {failed} failed")
    return 1 if failed else 0


def walk(console, options):
    driver = console.driver

    # Sign-in page, and a wrong password: the error beside the field, the address kept.
    console.open("/login")
    check(driver.title == "Sign in · MPMP", "the sign-in page opens", driver.title)
    console.axe("the sign-in page")
    console.fill({"email": "manager@amherst.demo", "password": "not the password"})
    console.submit()
    error = console.text_of("#field-password-error")
    check("wrong" in error and console.find("#field-password").get_attribute("aria-invalid") == "true",
          "a wrong password is named beside the password field", console.text()[:600])
    check(console.find("#field-email").get_attribute("value") == "manager@amherst.demo", "the address stays filled in")
    console.axe("the sign-in page with an error")
    console.shot("sign-in-error")

    # Keyboard only: Tab to the skip link, through the fields, Enter to send.
    console.open("/login")
    keys = ActionChains(driver)
    keys.send_keys(Keys.TAB).perform()
    check(driver.switch_to.active_element.get_attribute("class") == "skip", "the first Tab reaches the skip link")
    ActionChains(driver).send_keys(Keys.TAB).perform()  # the brand link
    ActionChains(driver).send_keys(Keys.TAB).send_keys("manager@amherst.demo").send_keys(Keys.TAB).send_keys("demo-ceo-2015").perform()
    console.navigating(lambda: ActionChains(driver).send_keys(Keys.ENTER).perform())
    check("Welcome, " in console.text() and driver.current_url.rstrip("/") == options.base,
          "signed in with the keyboard alone: the home page greets the town manager", console.text()[:400])
    check("Chief executive" in console.text() and "Amherst" in console.text(), "home names the role and the town")
    check("weekly digest" not in console.text(), "a chief executive is offered no analyst's digest")
    console.axe("the home page")
    console.shot("home-manager")

    # The town's dashboard, from home: measures by department, status in words, charts
    # with a text alternative, the values behind a disclosure; the CSV link.
    console.click("a.tenant")
    check(": dashboard" in driver.title, "home links the town to its dashboard", driver.title)
    console.open(driver.current_url.replace(options.base, "").split("?")[0] + "?fy=2015")
    charts = driver.find_elements(By.CSS_SELECTOR, "svg.trend[role='img'] title")
    check(len(charts) >= 5 and all(chart.get_attribute("textContent") for chart in charts),
          f"every measure has a chart with a text alternative ({len(charts)})")
    check("On target" in console.text() or "Off target" in console.text(), "status is written in words")
    console.find("details summary").click()
    check(console.shows("details[open] table.values"), "the values open beside the chart")
    console.axe("the town's dashboard")
    console.shot("dashboard")

    # Change password, keyboard to the form; a mismatch named beside its field.
    console.open("/account/password")
    console.axe("the change-password page")
    console.fill({"currentPassword": "demo-ceo-2015", "newPassword": "amherst-manager-2026", "confirmation": "amherst-manager-2027"})
    console.submit()
    check(console.shows("#field-confirmation-error"), "two different new passwords are named beside the confirmation", console.text()[:600])
    console.axe("the change-password page with an error")
    console.fill({"currentPassword": "demo-ceo-2015", "newPassword": "amherst-manager-2026", "confirmation": "amherst-manager-2026"})
    console.submit()
    check("/login" in driver.current_url and "every session has ended" in console.text(),
          "a changed password ends the session: back to sign in, with a notice")
    console.sign_in("manager@amherst.demo", "amherst-manager-2026")
    check("Welcome, " in console.text(), "the new password signs in")

    # Invite a department head (through the API, as the console's invite screen is to come);
    # the mail's link opens the console's page; the new account signs in.
    token = api(options.base, "POST", "/v1/auth/login", body={"email": "manager@amherst.demo", "password": "amherst-manager-2026"})["token"]
    tenants = api(options.base, "GET", "/v1/tenants", token)["items"]
    amherst = next(t for t in tenants if t["name"] == "Amherst")
    departments = api(options.base, "GET", f"/v1/tenants/{amherst['id']}/departments", token)["items"]
    api(options.base, "POST", f"/v1/tenants/{amherst['id']}/invitations", token,
        {"email": "librarian@amherst.example", "role": "department_head", "departmentId": departments[0]["id"]})
    # The printable invoice (the page a finalized invoice's mail links to).
    invoices = api(options.base, "GET", f"/v1/tenants/{amherst['id']}/invoices", token)["items"]
    issued = next(i for i in invoices if i.get("number"))
    console.open(f"/tenants/{amherst['id'].lower()}/invoices/{issued['id'].lower()}")
    check(f"Invoice {issued['number']}" in console.text() and "Balance due" in console.text(), "the town manager reads the printable invoice",
          console.text()[:500])
    console.axe("the printable invoice")
    # The public page: the manager turns it on with two measures, from home.
    console.open("/")
    console.click("ul.roles a[href$='/public-page']")
    check("public page" in driver.title, "home links the manager to the public page's settings", driver.title)
    console.axe("the public page's settings")
    enabled = console.find("#field-enabled")
    if not enabled.is_selected():
        enabled.click()
    for box in driver.find_elements(By.CSS_SELECTOR, "input[name^='publish-']")[:2]:
        if not box.is_selected():
            box.click()
    slug = console.find("#field-slug").get_attribute("value")
    console.submit()
    check("Saved." in console.text() and f"/public/{slug}" in console.text(), "the public page is turned on at its address", console.text()[:500])
    console.sign_out()
    check("You are signed out." in console.text(), "signing out says so")
    console.axe("the sign-in page after signing out")
    console.open(f"/public/{slug}?fy=2015")
    rows = driver.find_elements(By.CSS_SELECTOR, "table.dashboard > tbody > tr")
    check("Amherst: performance" in driver.title and len(rows) == 2, f"anyone reads the two published measures ({len(rows)})", driver.title)
    console.axe("the public page")
    console.shot("public-page")
    found = console.mail_to("librarian@amherst.example", "/invitations/")
    check(found is not None, "the invitation arrives by mail with its link")
    if found:
        link = re.search(r"https?://\S+/invitations/\S+", found[1]).group(0)
        html = next((p.get_payload(decode=True).decode() for p in found[2].walk() if p.get_content_type() == "text/html"), "")
        check("<a href=" in html and "/invitations/" in html, "the mail has an HTML alternative with the same link")
        driver.get(link)
        console.axe("the invitation page")
        console.fill({"displayName": "Lee Librarian", "password": "short", "confirmation": "short"})
        console.submit()
        check(console.shows("#field-password-error"), "a short password is named beside its field", console.text()[:600])
        console.axe("the invitation page with an error")
        console.fill({"displayName": "Lee Librarian", "password": "books-and-more-2026", "confirmation": "books-and-more-2026"})
        console.submit()
        check("Your account is ready" in console.text(), "accepting leads to sign in, with a notice")
        console.sign_in("librarian@amherst.example", "books-and-more-2026")
        check("Department head" in console.text(), "the new department head signs in and sees the role")
        console.sign_out()

    # An analyst turns the weekly digest off from home, and on again; a CEO has no digest.
    console.sign_in("analyst1@mpmp.demo", "demo-analyst-2015")
    check("Analyst" in console.text() and "weekly digest" in console.text(), "an analyst's home offers the weekly digest")
    towns = driver.find_elements(By.CSS_SELECTOR, "table.portfolio tbody tr")
    check(len(towns) == 6, f"an analyst's home is their portfolio: a row per town ({len(towns)})")
    console.axe("an analyst's home")
    console.shot("home-analyst")
    # From the portfolio to a town's completeness grid; a month's values filled in together.
    console.click("table.portfolio tbody tr a[href$='/completeness']")
    check("data completeness" in driver.title and console.shows("table.grid"), "the portfolio links each town's completeness grid", driver.title)
    console.axe("the completeness grid")
    console.shot("completeness")
    # The current fiscal year: its first month has ended, and the demo's data stop in 2015.
    before = len(driver.find_elements(By.CSS_SELECTOR, "table.grid td.missing"))
    month = driver.find_element(By.CSS_SELECTOR, "table.grid thead a").get_attribute("href").rsplit("/", 1)[1]
    console.click("table.grid thead a")
    check("values for" in driver.title and driver.current_url.endswith("/completeness/" + month), "a month's header opens its form", driver.title)
    console.axe("a month's values form")
    empty = [field for field in driver.find_elements(By.CSS_SELECTOR, "main form input[name^='value-']") if not field.get_attribute("value")]
    check(len(empty) >= 1, f"the month has values missing ({len(empty)})")
    if empty:
        empty[0].send_keys("twelve")
        console.submit()
        check(console.shows("main form .error"), "a value that is no number is named beside its field", console.text()[:600])
        console.axe("a month's values form with an error")
        field = driver.find_elements(By.CSS_SELECTOR, "input[aria-invalid='true']")[0]
        field.clear()
        field.send_keys("12")
        console.submit()
        after = len(driver.find_elements(By.CSS_SELECTOR, "table.grid td.missing"))
        check("Saved: 1 value new or changed." in console.text() and after == before - 1, "the value is saved and leaves the missing cells",
              f"{before} missing before, {after} after")
    console.open("/")
    # A stat meeting: scheduled from the town's dashboard, its agenda drafted, an item
    # added, an action item raised, the memo printed.
    console.click("table.portfolio tbody tr th a")
    console.open(driver.current_url.replace(options.base, "").split("?")[0] + "?fy=2015")
    dashboard = driver.current_url
    console.click("table.dashboard th a[href*='/measures/']")
    check("What it measures" in console.text() and console.shows("svg.trend.large"), "the dashboard links each measure to its page with its chart",
          console.text()[:400])
    console.axe("a measure's page")
    console.shot("measure")
    driver.get(dashboard)
    console.click("a[href$='/meetings']")
    check("stat meetings" in driver.title, "the dashboard links the town's stat meetings", driver.title)
    console.axe("the meetings list")
    console.fill({"title": "Public works stat", "attendees": "Town manager, DPW director"})
    console.find("#field-heldOn").send_keys("03/10/2015")
    console.submit()
    check("1. Follow-ups" in console.text() and "2. Measures to discuss" in console.text(), "a scheduled meeting shows its drafted agenda",
          console.text()[:600])
    console.axe("a meeting's agenda")
    console.shot("meeting")
    console.find("#field-title-item").send_keys("Snow and ice budget")
    console.click("form[action$='/agenda-items'] button[type='submit']")
    check("The item is on the agenda." in console.text() and "Snow and ice budget" in console.text(), "an item is added to the agenda")
    console.click("form[action$='/action-items'] button[type='submit']")
    check(console.shows("#field-title-action-error"), "an action item without a title is named beside its field")
    console.axe("a meeting with an error")
    console.find("#field-title-action").send_keys("Clear the pothole backlog")
    console.click("form[action$='/action-items'] button[type='submit']")
    check("The action item is raised." in console.text(), "an action item is raised at the meeting")
    console.click("a[href$='/memo']")
    check(driver.title.startswith("Memo: Public works stat") and "Snow and ice budget" in console.text(), "the memo prints the agenda", driver.title)
    console.axe("the printable memo")
    console.shot("memo")
    console.open(driver.current_url.replace(options.base, "").split("/meetings/")[0] + "/action-items")
    check("Clear the pothole backlog" in console.text(), "the town's action items list the new one")
    console.axe("the action items")
    console.open("/")
    console.click("form[action='/account/digest'] button")
    check("Your mail preference is saved." in console.text() and "You do not get the weekly digest." in console.text(),
          "the weekly digest is turned off from home")
    console.axe("an analyst's home after saving a preference")
    console.click("form[action='/account/digest'] button")
    check("You get the weekly digest" in console.text(), "and on again")
    console.sign_out()

    # The Center's director reads the reports.
    console.sign_in("director@mpmp.demo", "demo-director-2015")
    console.axe("a Center admin's home")
    console.shot("home-director")
    console.click("a[href='/reports/aging']")
    check("Aging of open invoices" in driver.title and "Days past due" in console.text(), "the aging report opens from home")
    console.axe("the aging report")
    console.open("/reports/funding")
    console.fill({"program": "MPMP", "fy": "2015"})
    console.submit()
    check("Funding gap" in console.text() and "State share" in console.text(), "the funding report of MPMP FY2015")
    console.axe("the funding report")

    # The director's invoices: by standing, an open one, a payment with a typo, then right.
    console.open("/")
    console.click("a[href='/invoices']")
    check(driver.title.startswith("Invoices") and "Past due" in console.text(), "the invoices list opens from home", driver.title)
    console.axe("the invoices list")
    console.shot("invoices")
    unpaid = driver.find_elements(By.XPATH, "//tbody/tr[td[normalize-space()='Open' or normalize-space()='Past due']]//a")
    check(len(unpaid) >= 1, f"the demo has unpaid invoices ({len(unpaid)})")
    if unpaid:
        console.navigating(unpaid[0].click)
        check("Record a payment" in console.text(), "an unpaid invoice offers to record a payment", console.text()[:400])
        console.axe("an invoice with its actions")
        amount = console.find("#field-amount-payment")
        amount.send_keys("100.005")
        console.click("form[action$='/payments'] button[type='submit']")
        check("more than two decimals" in console.text_of("#field-amount-payment-error"), "an amount with three decimals is named beside its field",
              console.text()[:600])
        console.axe("an invoice with a payment error")
        console.shot("invoice-payment-error")
        amount = console.find("#field-amount-payment")
        amount.clear()
        amount.send_keys("100.00")
        console.find("#field-reference-payment").send_keys("Check 1001")
        console.click("form[action$='/payments'] button[type='submit']")
        check("The payment is recorded." in console.text() and "Check 1001" in console.text(), "the payment is recorded and listed")
    console.open("/invoices?standing=draft")
    check("Draft" in console.text(), "the list filters by standing")

    # People and the audit trail.
    console.open("/")
    console.click("a[href='/users']")
    check(driver.title.startswith("People") and "analyst1@mpmp.demo" in console.text(), "the people page opens from home", driver.title)
    console.axe("the people page")
    console.click("main a[href='/audit']")
    check(driver.title.startswith("Audit trail") and "Done" in console.text(), "the audit trail lists what was done", driver.title)
    console.axe("the audit trail")

    # The director onboards a town and invites its manager.
    console.open("/tenants")
    console.axe("the tenants list")
    console.click("a[href='/tenants/new']")
    console.axe("the onboarding form")
    console.fill({"name": "Hadley", "population": "5,250"})
    console.submit()
    check("Hadley is onboarded." in console.text(), "a tenant is onboarded from the console", console.text()[:400])
    console.axe("the invitation form")
    console.fill({"email": "manager@hadley.example"})
    console.submit()
    check("on its way to manager@hadley.example" in console.text(), "its chief executive is invited")
    check(console.mail_to("manager@hadley.example", "/invitations/") is not None, "and the invitation arrives by mail")

    # ...enrolls it in a program year, runs invoicing, and finalizes its invoice.
    hadley = driver.current_url.replace(options.base, "").split("/invitations")[0]
    console.open(hadley + "/invoices")
    console.axe("a town's invoices page")
    console.find("#field-fiscalYear-enroll").send_keys("2015")
    console.find("#field-joinedOn-enroll").send_keys("03/01/2015")
    console.click("form[action$='/enrollments'] button[type='submit']")
    check("Enrolled in MPMP FY2015" in console.text(), "the town is enrolled in a program year", console.text()[:500])
    console.open("/invoices")
    console.find("#field-fy-run").send_keys("2015")
    console.click("form[action='/invoices/runs'] button[type='submit']")
    check("The run created 1 draft invoice." in console.text(), "an invoice run creates the town's draft", console.text()[:500])
    drafts = driver.find_elements(By.XPATH, "//tbody/tr[th[normalize-space()='Hadley']]//a")
    check(len(drafts) == 1, f"the draft is listed ({len(drafts)})")
    if drafts:
        console.navigating(drafts[0].click)
        console.click("form[action$='/finalize'] button[type='submit']")
        check("The invoice is finalized and numbered" in console.text() and "Invoice MPMP-FY2015-" in driver.title,
              "the draft is finalized and numbered", driver.title)
        console.axe("a finalized invoice")
    console.sign_out()

    # A forgotten password: the request page, the mail, the link, the new password, once.
    console.open("/password-reset")
    console.axe("the forgotten-password page")
    console.shot("password-reset-narrow", width=360)
    console.fill({"email": "dpw@amherst.demo"})
    console.submit()
    check("Check your mail" in console.text(), "asking for a link answers alike for every address")
    console.axe("the check-your-mail page")
    found = console.mail_to("dpw@amherst.demo", "/password-reset/")
    check(found is not None, "the reset link arrives by mail")
    if found:
        link = re.search(r"https?://\S+/password-reset/\S+", found[1]).group(0)
        driver.get(link)
        console.axe("the new-password page")
        console.fill({"password": "public-works-2026", "confirmation": "public-works-2026"})
        console.submit()
        check("Your password is changed" in console.text(), "the new password is set")
        driver.get(link)
        console.fill({"password": "public-works-2027", "confirmation": "public-works-2027"})
        console.submit()
        check("This link does not work" in console.text(), "the link works once")
        console.axe("the used-link page")
        console.sign_in("dpw@amherst.demo", "public-works-2026")
        check("Department head" in console.text(), "the department head signs in with the new password")
        console.shot("home-department-head")

        # My updates: the department head enters this period's value, with the keyboard.
        console.click("ul.roles a[href$='/updates']")
        check("my updates" in driver.title, "home links to the values due", driver.title)
        console.axe("my updates")
        console.shot("my-updates")
        forms = driver.find_elements(By.CSS_SELECTOR, "section.due form")
        check(len(forms) >= 1, f"values are due ({len(forms)})")
        if forms:
            value = forms[0].find_element(By.CSS_SELECTOR, "input[name='value']")
            value.send_keys("many")
            console.navigating(lambda: value.send_keys(Keys.ENTER))
            check(console.shows("section.due .error"), "a value that is no number is named beside its field")
            console.axe("my updates with an error")
            value = driver.find_elements(By.CSS_SELECTOR, "input[aria-invalid='true']")[0]
            value.clear()
            value.send_keys("11.5")
            console.navigating(lambda: value.send_keys(Keys.ENTER))
            check("Saved." in console.text() and len(driver.find_elements(By.CSS_SELECTOR, "section.due form")) == len(forms) - 1,
                  "the value is saved and leaves the list")
            console.axe("my updates after saving")


if __name__ == "__main__":
    sys.exit(main())
