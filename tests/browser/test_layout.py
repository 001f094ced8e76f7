"""The Bootstrap layout in a real browser: usable on a 390 px phone (no sideways scrolling, the menu opens, the
navigation is not squeezed to one character per line), no serious or critical axe-core findings on the main
pages, and the form feedback of steward.js (a spinner on long actions, a question before irreversible ones)."""

from __future__ import annotations

import pytest

from steward.demo import DEMO_PASSWORD
from steward.demo.period import last_month
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}
# (user, page) pairs checked with axe-core: the filer's home, the power plant's workspace, the city's dashboard.
AXE_PAGES = [
    ("power.filer", "/home/"),
    ("power.filer", "/e/cx-power/"),
    ("city.viewer", "/bureau/"),
]


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="zh-CN", viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def overflow(page) -> dict:
    return page.evaluate(
        """() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
                  wide: [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                                 && !e.closest('.table-responsive, .tabs, .dropdown-menu, .collapse:not(.show)'))
                    .slice(0, 5).map(e => e.tagName + '.' + e.className)})"""
    )


def test_phone_pages_fit_the_screen_and_the_menu_opens(phone, live_url, shots):
    log_in(phone, live_url, "power.filer", DEMO_PASSWORD)
    year = last_month()[0]
    for name, path in (
        ("home", "/home/"),
        ("workspace", "/e/cx-power/"),
        ("carbon-month", f"/e/cx-power/carbon/{year}/2/"),
    ):
        phone.goto(live_url + path)
        widths = overflow(phone)
        phone.screenshot(path=str(shots / f"phone-{name}.png"), full_page=True)
        assert widths["scroll"] <= widths["client"], (path, widths)

    # The workspace tabs stay on one line and scroll sideways instead of widening the page.
    phone.goto(f"{live_url}/e/cx-power/")
    tabs = phone.locator("[data-testid=workspace-tabs]")
    first, last = tabs.locator("a").first.bounding_box(), tabs.locator("a").last.bounding_box()
    assert first["y"] == last["y"]

    # Collapsed on a phone: the links are hidden until the toggler opens the menu.
    inbox = phone.locator("[data-testid=inbox-link]")
    toggler = phone.locator("[data-testid=nav-toggler]")
    assert toggler.is_visible() and not inbox.is_visible()
    assert toggler.get_attribute("aria-label") == "展开导航菜单"
    toggler.click()
    inbox.wait_for(state="visible")
    phone.locator("#main-nav.collapse.show").wait_for()  # the opening transition has ended
    assert toggler.get_attribute("aria-expanded") == "true"
    phone.screenshot(path=str(shots / "phone-menu-open.png"), full_page=True)
    # Each link on one line, not one character per line (the bug of the old flex header at 390 px).
    line = phone.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)")
    for link in phone.locator("#main-nav .nav-link").all():
        box = link.bounding_box()
        assert box["height"] < 2.2 * line and box["width"] > 3 * line, (link.inner_text(), box)
    assert overflow(phone)["scroll"] <= PHONE["width"]


def test_skip_link_leads_to_the_main_content(page, live_url):
    log_in(page, live_url, "power.filer", DEMO_PASSWORD)
    page.goto(f"{live_url}/e/cx-power/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert skip.evaluate("e => e === document.activeElement") and skip.is_visible()
    assert skip.inner_text() == "跳到主要内容"
    outline = skip.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"  # a visible focus ring
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


@pytest.mark.parametrize("user, path", AXE_PAGES)
def test_no_serious_or_critical_accessibility_violations(page, live_url, shots, user, path):
    log_in(page, live_url, user, DEMO_PASSWORD)
    refused = []  # the Content-Security-Policy refuses inline scripts and styles: the frame must need none
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.goto(live_url + path)
    page.wait_for_load_state("load")
    assert page.evaluate("() => typeof bootstrap === 'object' && typeof htmx === 'object'")
    assert refused == [], refused
    page.add_script_tag(url=f"{live_url}/static/vendor/axe-core/axe.min.js")
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], v["impact"], v["help"], [node["target"] for node in v["nodes"]][:5])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    page.screenshot(
        path=str(shots / f"axe-{user}-{path.strip('/').replace('/', '-') or 'root'}.png"), full_page=True
    )
    assert serious == [], serious


def test_irreversible_acts_ask_first_and_long_acts_show_a_spinner(page, live_url, shots):
    """Cancelling the question sends nothing; a long action disables its button and shows a spinner (the request is
    held back here, so nothing is computed or revoked in the shared demo world)."""
    log_in(page, live_url, "power.admin", DEMO_PASSWORD)
    page.goto(f"{live_url}/e/cx-power/engagements/")
    revoke = page.locator("form[data-confirm]").first
    revoke.locator("input[name=reason]").fill("测试：取消撤销")
    questions = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    posted = []
    page.on("request", lambda request: posted.append(request.url) if request.method == "POST" else None)
    revoke.locator("button[type=submit]").click()
    page.wait_for_timeout(300)
    assert questions and "不能恢复" in questions[0]
    assert posted == [] and page.url.endswith("/e/cx-power/engagements/")
    page.screenshot(path=str(shots / "admin-engagements.png"), full_page=True)
    page.remove_listener("dialog", dismiss)

    year = last_month()[0]
    page.goto(f"{live_url}/e/cx-power/carbon/{year}/2/")
    # A listener on window runs after steward.js (on document): it records whether steward.js let each submit
    # through, then stops it, so nothing is computed in the shared demo world.
    page.evaluate(
        """() => { window.seen = [];
            window.addEventListener('submit', e => { window.seen.push(e.defaultPrevented); e.preventDefault(); }); }"""
    )
    compute = page.locator("[data-testid=compute] form[data-busy]")
    if compute.locator("input[name=reason]").count():  # a result exists: recomputing asks why
        compute.locator("input[name=reason]").fill("测试：不会发送")
    button = compute.locator("button[type=submit]")
    assert compute.locator(".spinner-border").count() == 0
    button.click()
    for _ in range(50):  # steward.js disables the button one tick after the submit
        if button.is_disabled():
            break
        page.wait_for_timeout(50)
    assert compute.locator(".spinner-border").count() == 1 and compute.get_attribute("aria-busy") == "true"
    assert compute.locator("[role=status]").inner_text() == "正在处理…"
    page.evaluate(
        "() => document.querySelector('[data-testid=compute] form').requestSubmit()"
    )  # a second try
    assert page.evaluate("() => window.seen") == [False, True]  # the first went out, the second was held back


def test_sub_headings_are_smaller_than_headings_and_subtabs_are_spaced(page, live_url):
    """The bank's 各月已存证排放量 (an h3 under 年度排放量) was drawn larger than its section's heading, and the
    pollution sub-navigation ran its links together ("排污许可证自动监测数据导入执行报告"); a form's choice group is
    labelled like its other fields."""
    from tenants.models import Enterprise

    log_in(page, live_url, "power.admin", DEMO_PASSWORD)
    page.goto(f"{live_url}/e/cx-power/pollution/reports/")
    edges = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=pollution-nav] a')].map(a => a.getBoundingClientRect())
                  .map(r => [r.left, r.right])"""
    )
    assert len(edges) >= 3
    assert all(nxt[0] - prev[1] >= 10 for prev, nxt in zip(edges, edges[1:], strict=False)), edges
    page.goto(f"{live_url}/e/cx-power/banks/")  # 授权查看内容 was drawn larger than the form's own heading
    legend, label = page.evaluate(
        """() => [document.querySelector('form legend'), document.querySelector('form label')]
                  .map(e => parseFloat(getComputedStyle(e).fontSize))"""
    )
    assert legend <= label * 1.1, (legend, label)
    page.context.clear_cookies()
    log_in(page, live_url, "huzhou.bank", DEMO_PASSWORD)
    page.goto(f"{live_url}/bank/{Enterprise.objects.get(slug='wx-cement').pk}/")
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.section')].filter(s => s.querySelector(':scope > h2')
                  && s.querySelector('h3')).map(s => [parseFloat(getComputedStyle(s.querySelector(':scope > h2'))
                  .fontSize), parseFloat(getComputedStyle(s.querySelector('h3')).fontSize)])"""
    )
    assert sizes and all(h3 <= h2 for h2, h3 in sizes), sizes
