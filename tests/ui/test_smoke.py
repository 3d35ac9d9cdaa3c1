"""Smoke test in a real browser: the home page with the four offices, the API docs, nothing from the internet."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.async_api import Browser, Page, Request

from tests.ui.conftest import LiveServer, screenshot

OFFICES = ("Kotawaringin Timur", "Kotabaru", "Belitung Timur", "Banjarnegara")


def _offsite(urls: list[str]) -> list[str]:
    """The requests that went to a host other than the live server's (data: and blob: URLs never leave)."""
    local = ("data", "blob")
    return [url for url in urls if urlsplit(url).scheme not in local and urlsplit(url).hostname != "127.0.0.1"]


def _record_requests(page: Page) -> list[str]:
    urls: list[str] = []

    def _on_request(request: Request) -> None:
        urls.append(request.url)

    page.on("request", _on_request)
    return urls


async def test_home_page_lists_the_four_offices_from_local_assets_only(page: Page, live_server: LiveServer) -> None:
    requested = _record_requests(page)

    response = await page.goto("/", wait_until="networkidle")

    assert response is not None and response.ok
    heading = page.get_by_role("heading", level=1)
    assert (await heading.inner_text()).strip() == "Pelayanan Statistik Terpadu"
    table = await page.locator("table").inner_text()
    for name in OFFICES:
        assert name in table
    assert await page.locator('link[rel="stylesheet"]').count() >= 1
    await screenshot(page, "home")
    assert any(urlsplit(url).path == "/static/pst.css" for url in requested)
    assert _offsite(requested) == []


async def test_api_docs_are_served_without_a_cdn(page: Page, live_server: LiveServer) -> None:
    requested = _record_requests(page)

    response = await page.goto("/docs", wait_until="networkidle")

    assert response is not None and response.ok
    assert "PST Flow API" in await page.title()
    await page.locator("#swagger-ui .swagger-ui").wait_for()
    await screenshot(page, "docs")
    assert "cdn.jsdelivr.net" not in await page.content()
    assert _offsite(requested) == []
    schema = await page.request.get("/openapi.json")
    assert schema.ok
    assert (await schema.json())["info"]["title"] == "PST Flow API"


async def test_swagger_ui_renders_the_schema(page: Page, live_server: LiveServer) -> None:
    await page.goto("/docs", wait_until="networkidle")

    await page.locator(".swagger-ui .info .title, .swagger-ui .version-pragma").first.wait_for()

    assert await page.locator(".swagger-ui .version-pragma").count() == 0
    assert "PST Flow API" in await page.locator(".swagger-ui .info .title").inner_text()


async def test_pages_fit_a_phone(browser: Browser, live_server: LiveServer) -> None:
    context = await browser.new_context(base_url=live_server.base_url, viewport={"width": 390, "height": 844})
    try:
        phone = await context.new_page()
        for path, name in (("/", "phone_home"), ("/offices/3304", "phone_office"), ("/login", "phone_login")):
            await phone.goto(path)
            overflow = await phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{path} is {overflow}px wider than a phone"
            await screenshot(phone, name)
    finally:
        await context.close()
