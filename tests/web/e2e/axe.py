"""axe-core in the page: inject ``axe.min.js`` (from npm, see scripts/setup.sh) and run the WCAG 2.2 AA rules.

WebDriver evaluates the script outside the page's Content-Security-Policy, so the app's strict CSP
(``default-src 'self'``) stays on while it is scanned. A failure lists every violation with the
elements it was found on and axe's own advice, so it can be fixed without re-running anything.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from selenium.webdriver.remote.webdriver import WebDriver

from tests.web.e2e.browser import AXE_JS

TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then(r => done({violations: r.violations}), e => done({error: String(e)}));
"""


@cache
def _source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def violations(driver: WebDriver) -> list[dict[str, Any]]:
    """axe's violations on the page ``driver`` shows now, for the ``TAGS`` rule sets."""
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(_source())
    result = driver.execute_async_script(_RUN, list(TAGS))
    if "error" in result:
        raise RuntimeError(f"axe-core failed on {driver.current_url}: {result['error']}")
    return result["violations"]


def describe(found: list[dict[str, Any]], where: str) -> str:
    """A readable list: rule, impact and advice, then each offending element and what to fix on it."""
    lines = [f"{len(found)} accessibility violation(s) on {where}:"]
    for v in found:
        lines.append(f"- {v['id']} ({v.get('impact') or 'unknown impact'}): {v['help']} [{v['helpUrl']}]")
        for node in v["nodes"][:10]:
            target = " ".join(str(t) for t in node.get("target", []))
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    at {target}: {node.get('html', '')[:160]}")
            if summary:
                lines.append(f"      {summary[:400]}")
        if len(v["nodes"]) > 10:
            lines.append(f"    ... and {len(v['nodes']) - 10} more elements")
    return "\n".join(lines)


def assert_accessible(driver: WebDriver, where: str = "") -> None:
    """Fail with every WCAG 2.2 AA violation axe finds on the current page."""
    found = violations(driver)
    assert not found, describe(found, where or driver.current_url)
