"""Checks run in the page, shared by the browser tests: axe-core, reflow at 320 px, a visible focus ring."""
import json

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {json.dumps(node['target'])}: {node['html'][:200]}")
            lines.append(f"      {node.get('failureSummary', '').replace(chr(10), ' | ')}")
    return "\n".join(lines)


def assert_axe_clean(page, run_axe, where: str) -> None:
    violations = run_axe(page, AXE_TAGS)["violations"]
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, f"axe on {where} ({page.url}):\n{describe(violations)}"


def assert_no_sideways_scroll_at_320(page, where: str) -> None:
    """Make the page 320 px wide (WCAG 1.4.10 reflow), check, and put the viewport back.
    The map is left out: its panes are wider than the viewport by design."""
    before = page.viewport_size
    page.set_viewport_size({"width": 320, "height": before["height"]})
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        too_wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > 320.5 && el.getClientRects().length
                          && !el.closest('.leaflet-container, .visually-hidden, .skiplink'))
            .slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + el.className + ' right='
                              + Math.round(el.getBoundingClientRect().right))""")
        assert width <= 320, f"{where} scrolls sideways at 320px: scrollWidth={width}; too wide: {too_wide}"
    finally:
        page.set_viewport_size(before)


def focus_style(page) -> dict:
    """How the focused element looks: enough to tell whether a keyboard user can see where focus is."""
    return page.evaluate("""() => {
        const el = document.activeElement, cs = getComputedStyle(el);
        return {id: el.id, tag: el.tagName, text: (el.textContent || '').trim().slice(0, 40), cls: el.className,
                outlineStyle: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth) || 0,
                boxShadow: cs.boxShadow};
    }""")


def has_visible_focus(style: dict) -> bool:
    """An outline of 2 px or more, or a ring (box-shadow)."""
    outline = style["outlineStyle"] != "none" and style["outlineWidth"] >= 2
    return outline or style["boxShadow"] not in ("none", "")
