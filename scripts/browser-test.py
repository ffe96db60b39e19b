#!/usr/bin/env python3
"""The browser half of `make test-browser`: drives headless Chromium over CDP through /docs and
/redoc as a person would, and checks what the pages show.

scripts/browser-test.sh starts PostgreSQL, Redis, the server and Chromium, then runs

    browser-test.py --base-url URL --devtools-port PORT --artifacts DIR --username U --password P

Checks, in order (each prints `ok - ...` or `FAIL - ...`; the last line is `N passed, N failed`):
  1. /docs: Swagger UI renders every operation of /openapi.json (method and path), no error box.
  2. Authorize: the OAuth2 password flow in Swagger UI's dialog logs the first superuser in.
  3. Try it out: GET /api/v1/users/me sent with the bearer token shows the superuser's email.
  4. Reload: the authorization persisted (persistAuthorization) and still works.
  5. /redoc: ReDoc renders every operation (its section, method and path).
  6. Assets: every request went to the server itself; Swagger UI and ReDoc came from
     /docs/static/, nothing from a CDN; no uncaught JavaScript exception.
A screenshot of each step goes to DIR, with network.txt (every request) and console.txt.
Exit status: 0 when every check passed, 1 otherwise.
"""

import argparse
import json
import os
import sys
import time
import traceback
import urllib.request

# cdp.py sits beside this file; no __pycache__ left in scripts/ (it is not git-ignored).
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import CDPError, Page  # noqa: E402

# Requests off the server that are known and accepted. ReDoc's side menu ends with an
# "API docs by Redocly" link whose logo is hard-coded in redoc.standalone.js (no option turns it
# off); offline the image fails to load and ReDoc hides it, so the page still works.
KNOWN_OFF_SERVER = {
    "https://cdn.redoc.ly/redoc/logo-mini.svg": "ReDoc's own attribution logo (hard-coded in the bundle; hidden when unreachable)",
}

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
ME_PATH = "/api/v1/users/me"


class CheckFailed(Exception):
    pass


def spec_operations(base_url):
    """(METHOD, path, operationId, summary) for every operation in the served document."""
    with urllib.request.urlopen(base_url + "/openapi.json", timeout=10) as response:
        document = json.load(response)
    operations = []
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                operations.append((method.upper(), path, operation.get("operationId"), operation.get("summary")))
    if not operations:
        raise CheckFailed("/openapi.json has no operations")
    return operations


def page_target(devtools_port):
    """The WebSocket URL of the browser's first page (Chromium opens about:blank)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{devtools_port}/json/list", timeout=10) as response:
        targets = json.load(response)
    pages = [t for t in targets if t.get("type") == "page"]
    if not pages:
        raise CheckFailed("Chromium has no page target")
    return pages[0]["webSocketDebuggerUrl"]


# JavaScript: the opblock element of one operation in Swagger UI, by method and path.
def opblock(method, path):
    return (
        "[...document.querySelectorAll('.opblock')].find(b => "
        f"b.querySelector('.opblock-summary-method')?.textContent.trim() === {json.dumps(method)} && "
        f"b.querySelector('.opblock-summary-path, .opblock-summary-path__deprecated')?.dataset.path === {json.dumps(path)})"
    )


SWAGGER_OPERATIONS = """[...document.querySelectorAll('.opblock')].map(b => [
    b.querySelector('.opblock-summary-method')?.textContent.trim(),
    b.querySelector('.opblock-summary-path, .opblock-summary-path__deprecated')?.dataset.path])"""

SWAGGER_RENDERED = "document.querySelectorAll('#swagger-ui .opblock').length > 0"


class BrowserTest:
    def __init__(self, args):
        self.base = args.base_url.rstrip("/")
        self.artifacts = args.artifacts
        self.username = args.username
        self.password = args.password
        self.operations = spec_operations(self.base)
        self.page = Page(page_target(args.devtools_port))
        self.passed = 0
        self.failed = 0
        self.shots = 0

    # -- helpers

    def screenshot(self, name, full_page=False):
        self.shots += 1
        path = os.path.join(self.artifacts, f"{self.shots:02d}-{name}.png")
        self.page.screenshot(path, full_page=full_page)
        print(f"   screenshot {path}")

    def open(self, path, ready, what):
        self.page.navigate(self.base + path)
        self.page.wait_for(ready, what, timeout=30)

    def click_until(self, element, done, what, attempts=3):
        """Clicks until `done` holds. Right after a load Swagger UI may still re-render (the spec's
        subtrees resolve, a deep link scrolls), and a click on a button being replaced is lost;
        a person would click again, and so does this, a bounded number of times."""
        for attempt in range(attempts):
            self.page.click(None, what, element_expression=element)
            try:
                return self.page.wait_for(done, f"{what} to take effect", timeout=5)
            except CDPError:
                if attempt == attempts - 1:
                    raise
                print(f"   {what}: no effect yet, clicking again")

    def run(self, description, check):
        """Runs one check; a failure is reported with a screenshot of the page at that moment."""
        started = time.monotonic()
        try:
            check()
        except (CheckFailed, CDPError) as error:
            self.failed += 1
            print(f"FAIL - {description}: {error}")
            try:
                self.screenshot("failure")
            except Exception:  # the browser may be gone; the failure itself is what matters
                pass
            return False
        except Exception:
            self.failed += 1
            print(f"FAIL - {description}: unexpected error")
            traceback.print_exc()
            return False
        self.passed += 1
        print(f"ok - {description} ({time.monotonic() - started:.1f}s)")
        return True

    # -- the checks

    def swagger_lists_every_operation(self):
        self.open("/docs", SWAGGER_RENDERED, "Swagger UI to render operations")
        # Swagger UI renders all tags at once; give it a moment to finish before reading the DOM.
        self.page.pump(0.5)
        errors = self.page.evaluate("document.querySelector('.errors-wrapper')?.innerText || ''")
        shown = {tuple(pair) for pair in self.page.evaluate(SWAGGER_OPERATIONS)}
        self.screenshot("docs-operations", full_page=True)
        expected = {(method, path) for method, path, _, _ in self.operations}
        missing, extra = sorted(expected - shown), sorted(shown - expected)
        if errors:
            raise CheckFailed(f"Swagger UI shows errors: {errors.strip()[:500]}")
        if missing or extra:
            raise CheckFailed(f"operations missing from /docs: {missing}; shown but not in the spec: {extra}")
        print(f"   {len(expected)} operations listed")

    def authorize(self):
        self.page.click(".auth-wrapper .btn.authorize", "the Authorize button")
        self.page.wait_for("document.querySelector('.modal-ux #oauth_username')", "the authorization dialog")
        self.page.type_into(".modal-ux #oauth_username", self.username)
        self.page.type_into(".modal-ux #oauth_password", self.password)
        self.screenshot("docs-authorize-dialog")
        self.page.click(".modal-ux .auth-btn-wrapper .btn.authorize", "the dialog's Authorize button")
        # Authorized: the dialog offers Logout instead. An error shows in the dialog.
        outcome = self.page.wait_for(
            """(() => {
                const dialog = document.querySelector('.modal-ux');
                const error = dialog?.querySelector('.errors');
                if (error && error.innerText.trim()) return 'error: ' + error.innerText.trim();
                const logout = [...(dialog?.querySelectorAll('.auth-btn-wrapper button') || [])]
                    .find(b => b.innerText.trim() === 'Logout');
                return logout ? 'authorized' : null;
            })()""",
            "the password flow to finish",
        )
        self.screenshot("docs-authorized")
        if outcome != "authorized":
            raise CheckFailed(f"the password flow failed in the dialog: {outcome}")
        self.page.click(".modal-ux .btn-done", "the dialog's Close button")
        self.page.wait_for("!document.querySelector('.modal-ux')", "the dialog to close")
        self.page.wait_for("document.querySelector('.auth-wrapper .btn.authorize.locked')", "the Authorize button to show a locked padlock")

    def try_users_me(self, step_name):
        block = opblock("GET", ME_PATH)
        self.page.wait_for(block, f"GET {ME_PATH} in the list")
        if not self.page.evaluate(f"{block}.classList.contains('is-open')"):
            self.click_until(f"{block}.querySelector('.opblock-summary-control')", f"{block}.querySelector('.try-out__btn')", f"GET {ME_PATH}")
        if self.page.evaluate(f"{block}.querySelector('.try-out__btn').innerText.trim()") != "Cancel":
            self.click_until(f"{block}.querySelector('.try-out__btn')", f"{block}.querySelector('.btn.execute')", "Try it out")
        requests_before = len(self.page.events)
        self.page.click(None, "Execute", element_expression=f"{block}.querySelector('.btn.execute')")
        status = self.page.wait_for(
            f"{block}.querySelector('.live-responses-table .response .response-col_status')?.innerText.trim()",
            "the response to show",
        )
        body = self.page.evaluate(
            f"{block}.querySelector('.live-responses-table .response .response-col_description')?.innerText || ''"
        )
        self.page.evaluate(f"{block}.querySelector('.live-responses-table').scrollIntoView({{block: 'center'}})")
        self.screenshot(step_name)
        if status != "200" or self.username not in body:
            raise CheckFailed(f"GET {ME_PATH} answered {status} with {body.strip()[:300]!r}, expected 200 with {self.username}")
        # The request itself, as the browser sent it: with the bearer token from the login.
        sent = [
            e["params"]["request"]
            for e in self.page.events[requests_before:]
            if e["method"] == "Network.requestWillBeSent" and e["params"]["request"]["url"] == self.base + ME_PATH
        ]
        if not sent:
            raise CheckFailed(f"no request to {ME_PATH} was recorded")
        authorization = {k.lower(): v for k, v in sent[-1].get("headers", {}).items()}.get("authorization", "")
        if not authorization.startswith("Bearer "):
            raise CheckFailed(f"GET {ME_PATH} was sent without a bearer token (Authorization: {authorization!r})")

    def authorization_persists(self):
        self.page.call("Page.reload", ignoreCache=False)
        self.page.wait_for("document.readyState === 'complete'", "the reload")
        self.page.wait_for(SWAGGER_RENDERED, "Swagger UI to render after the reload", timeout=30)
        stored = self.page.evaluate("localStorage.getItem('authorized') || ''")
        if "access_token" not in stored:
            raise CheckFailed(f"no token in localStorage after the reload: {stored[:200]!r}")
        self.page.wait_for("document.querySelector('.auth-wrapper .btn.authorize.locked')", "the padlock to stay locked after the reload", timeout=10)
        self.page.evaluate("document.querySelector('.auth-wrapper').scrollIntoView({block: 'center'})")
        self.screenshot("docs-reloaded-still-authorized")
        self.try_users_me("docs-after-reload")

    def redoc_lists_every_operation(self):
        self.open("/redoc", "document.querySelectorAll('[data-section-id^=\"operation/\"]').length > 0", "ReDoc to render operations")
        self.page.pump(0.5)
        # ReDoc renders each operation as a section `operation/<operationId>` with the summary as
        # its heading and an endpoint box: a `.http-verb` span followed by the path. The side
        # menu has an entry per operation too. (The class names beside these are generated by
        # styled-components and change between builds; these ids and classes do not.)
        shown = self.page.evaluate(
            """[...document.querySelectorAll('[data-section-id^="operation/"]')].map(s => ({
                id: s.dataset.sectionId.slice('operation/'.length),
                heading: s.querySelector('h2')?.textContent.trim() || '',
                endpoints: [...s.querySelectorAll('.http-verb')].map(v =>
                    [v.textContent.trim().toUpperCase(), v.nextElementSibling?.textContent.trim()]),
            }))"""
        )
        menu = self.page.evaluate(
            """[...document.querySelectorAll('li[data-item-id*="/operation/"]')].map(li => li.dataset.itemId.split('/operation/')[1])"""
        )
        broken = self.page.evaluate("document.querySelector('redoc')?.innerText.includes('Something went wrong') || false")
        self.screenshot("redoc")
        if broken:
            raise CheckFailed("ReDoc shows 'Something went wrong'")
        by_id = {section["id"]: section for section in shown}
        problems = []
        for method, path, operation_id, summary in self.operations:
            section = by_id.get(operation_id)
            if not operation_id or not section:
                problems.append(f"{method} {path}: no section for operation {operation_id}")
                continue
            if [method, path] not in section["endpoints"]:
                problems.append(f"{method} {path}: its section shows {section['endpoints']}")
            if summary and section["heading"] != summary:
                problems.append(f"{method} {path}: heading {section['heading']!r}, expected {summary!r}")
            if operation_id not in menu:
                problems.append(f"{method} {path}: not in the side menu")
        if len(shown) != len(self.operations):
            problems.append(f"{len(shown)} operation sections for {len(self.operations)} operations")
        if problems:
            raise CheckFailed("; ".join(problems))
        print(f"   {len(self.operations)} operations listed, each with its method, path and summary")
        # The users/me section, as a reader would scroll to it.
        me = next(o[2] for o in self.operations if o[:2] == ("GET", ME_PATH))
        self.page.evaluate(f"document.querySelector('[data-section-id=\"operation/{me}\"]').scrollIntoView()")
        self.page.pump(0.3)
        self.screenshot("redoc-users-me")

    def assets_are_local(self):
        requests = [e["params"] for e in self.page.events if e["method"] == "Network.requestWillBeSent"]
        statuses = {}
        for e in self.page.events:
            if e["method"] == "Network.responseReceived":
                statuses[e["params"]["response"]["url"]] = e["params"]["response"]["status"]
        failures = {
            e["params"]["requestId"]: e["params"].get("errorText")
            for e in self.page.events
            if e["method"] == "Network.loadingFailed"
        }
        with open(os.path.join(self.artifacts, "network.txt"), "w") as log:
            for r in requests:
                url = r["request"]["url"]
                outcome = failures.get(r["requestId"]) or statuses.get(url, "?")
                if url.startswith("data:") and len(url) > 100:
                    url = url[:100] + "..."  # inline icons; their bytes say nothing here
                log.write(f"{r['request']['method']} {url} -> {outcome}\n")
        origin = self.base + "/"
        foreign = sorted(
            {
                r["request"]["url"]
                for r in requests
                if not r["request"]["url"].startswith((origin, "data:", "blob:", "about:"))
                and r["request"]["url"] not in KNOWN_OFF_SERVER
            }
        )
        if foreign:
            raise CheckFailed(f"requests left the server (CDN or elsewhere): {foreign}")
        for r in requests:
            if r["request"]["url"] in KNOWN_OFF_SERVER:
                print(f"   note: {r['request']['url']}: {KNOWN_OFF_SERVER[r['request']['url']]}")
        for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"):
            url = f"{self.base}/docs/static/{asset}"
            if statuses.get(url) != 200:
                raise CheckFailed(f"{url} was not loaded with 200 (got {statuses.get(url, 'no request')})")
        exceptions = [e["params"]["exceptionDetails"] for e in self.page.events if e["method"] == "Runtime.exceptionThrown"]
        if exceptions:
            raise CheckFailed(
                "uncaught JavaScript exceptions: "
                + "; ".join((d.get("exception", {}).get("description") or d.get("text", "")).splitlines()[0] for d in exceptions)
            )
        print(f"   {len(requests)} requests, all to {self.base}; see network.txt")

    def write_console_log(self):
        with open(os.path.join(self.artifacts, "console.txt"), "w") as log:
            for e in self.page.events:
                if e["method"] == "Runtime.consoleAPICalled":
                    text = " ".join(str(a.get("value", a.get("description", ""))) for a in e["params"]["args"])
                    log.write(f"console.{e['params']['type']}: {text}\n")
                elif e["method"] == "Runtime.exceptionThrown":
                    d = e["params"]["exceptionDetails"]
                    log.write(f"exception: {d.get('exception', {}).get('description') or d.get('text')}\n")
                elif e["method"] == "Log.entryAdded":
                    entry = e["params"]["entry"]
                    log.write(f"log.{entry['level']}: {entry['text']} {entry.get('url', '')}\n")

    def main(self):
        page = self.page
        for domain in ("Page", "Network", "Runtime", "Log"):
            page.call(f"{domain}.enable")
        page.call("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1, mobile=False)
        print(f"{len(self.operations)} operations in {self.base}/openapi.json")
        rendered = self.run("/docs: Swagger UI lists every operation of the spec", self.swagger_lists_every_operation)
        authorized = rendered and self.run("/docs: Authorize with the OAuth2 password flow as the first superuser", self.authorize)
        if authorized:
            self.run(f"/docs: Try it out on GET {ME_PATH} shows {self.username}", lambda: self.try_users_me("docs-users-me"))
            self.run("/docs: the authorization persists across a reload", self.authorization_persists)
        else:
            self.failed += 2
            print(f"FAIL - /docs: Try it out on GET {ME_PATH}, and the reload: skipped, not authorized")
        self.run("/redoc: ReDoc lists every operation of the spec", self.redoc_lists_every_operation)
        self.run("assets: Swagger UI and ReDoc from /docs/static/, no request off the server", self.assets_are_local)
        self.write_console_log()
        page.close()
        print(f"{self.passed} passed, {self.failed} failed")
        return 0 if self.failed == 0 else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--devtools-port", required=True, type=int)
    parser.add_argument("--artifacts", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    args = parser.parse_args()
    os.makedirs(args.artifacts, exist_ok=True)
    try:
        test = BrowserTest(args)
    except (CheckFailed, CDPError, OSError) as error:
        print(f"FAIL - setting up the browser test: {error}")
        print("0 passed, 1 failed")
        return 1
    return test.main()


if __name__ == "__main__":
    sys.exit(main())
