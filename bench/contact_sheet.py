"""Every referral map at once: contact sheets to review the maps beside their descriptions.

One HTML sheet per body area (muscles in file order), each trigger point's map as its standalone image
(``/trigger-points/<slug>.svg``) beside what the data says: where the point lies, its site region, the
essential and spillover regions, and the source's doubts (``referral_note``). With ``--png`` each sheet is
also photographed by headless Chromium at twice the pixel density, for reading on any screen.

Run: .venv/bin/python bench/contact_sheet.py [--png] [--area neck] [--out DIR]
(sheets go to bench/results/contact-sheets/ by default; open index.html).
"""

import argparse
import base64
import sys
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))

import refdata  # noqa: E402
from figure import maps  # noqa: E402
from figure.body import VOCABULARY  # noqa: E402
from refdata import load  # noqa: E402
from refdata import schema  # noqa: E402

OUT = Path(__file__).parent / "results" / "contact-sheets"
CHROMIUM = Path("/usr/bin/chromium")
SHEET_WIDTH = 1600  # CSS px; four maps a row
PIXEL_RATIO = 2
STYLE = f"""
body {{ font: 13px/1.35 system-ui, sans-serif; margin: 16px; width: {SHEET_WIDTH}px; color: #1d2326; }}
h1 {{ font-size: 20px; margin: 0 0 12px; }}
.sheet {{ display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; }}
.map {{ border: 1px solid #ccc; padding: 8px; break-inside: avoid; }}
.map img {{ width: 100%; height: auto; max-height: 420px; object-fit: contain; }}
.map h2 {{ font-size: 14px; margin: 0 0 4px; }}
.map p {{ margin: 2px 0; }}
.note {{ color: #7a4b00; }}
"""


def names(region_ids: list[str]) -> str:
    return ", ".join(VOCABULARY[r]["name"] for r in region_ids) or "none"


def card(muscle: schema.Muscle, point: schema.TriggerPoint) -> str:
    """One map with the words it should show."""
    sides = maps.SIDES if point.laterality == "bilateral" else (maps.MAP_SIDE,)
    essential, spillover = point.referral.essential, point.referral.spillover
    svg = maps.referral_svg(
        essential,
        spillover,
        point.slug,
        f"{muscle.name}, {point.name}",
        maps.describe(essential, spillover, sides),
        sides=sides,
    )
    image = base64.b64encode(svg.encode()).decode()
    note = f'<p class="note">Note: {escape(point.referral_note)}</p>' if point.referral_note else ""
    return (
        f'<section class="map" id="{point.slug}"><h2>{escape(muscle.name)}: {escape(point.name)}</h2>'
        f'<img alt="" src="data:image/svg+xml;base64,{image}">'
        f"<p><b>{escape(point.slug)}</b> at {escape(point.site or '?')} ({point.laterality})</p>"
        f"<p><b>Where:</b> {escape(point.location)}</p>"
        f"<p><b>Essential:</b> {escape(names(essential))}</p>"
        f"<p><b>Spillover:</b> {escape(names(spillover))}</p>{note}</section>"
    )


def sheets(muscles: list[schema.Muscle], areas: list[str]) -> dict[str, str]:
    """{area: HTML sheet} for the body areas asked for, in the order of schema.BODY_AREAS."""
    out = {}
    for area in areas:
        cards = [card(m, p) for m in muscles if m.area == area for p in m.trigger_points]
        if cards:
            out[area] = (
                f'<!doctype html><meta charset="utf-8"><title>Referral maps: {area}</title><style>{STYLE}</style>'
                f'<h1>Referral maps: {area} ({len(cards)})</h1><div class="sheet">{"".join(cards)}</div>'
            )
    return out


def photograph(pages: list[Path]) -> None:
    """A full-page PNG beside each HTML sheet, taken by headless Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": SHEET_WIDTH + 32, "height": 800}, device_scale_factor=PIXEL_RATIO)
        for path in pages:
            page.goto(path.resolve().as_uri())
            page.screenshot(path=str(path.with_suffix(".png")), full_page=True)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--area", action="append", choices=list(schema.BODY_AREAS), help="only these body areas")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the sheets")
    parser.add_argument("--png", action="store_true", help="also photograph each sheet with headless Chromium")
    args = parser.parse_args()
    muscles = load.read(refdata.FOLDER).items(schema.Muscle)
    args.out.mkdir(parents=True, exist_ok=True)
    pages = []
    for area, html in sheets(muscles, args.area or list(schema.BODY_AREAS)).items():
        path = args.out / f"{area}.html"
        path.write_text(html, encoding="utf-8")
        pages.append(path)
    links = "".join(f'<li><a href="{p.name}">{p.stem}</a></li>' for p in pages)
    (args.out / "index.html").write_text(
        f'<!doctype html><meta charset="utf-8"><title>Referral maps</title><ul>{links}</ul>'
    )
    if args.png:
        photograph(pages)
    total = sum(1 for m in muscles for _ in m.trigger_points)
    print(f"{total} maps on {len(pages)} sheets in {args.out}")


if __name__ == "__main__":
    main()
