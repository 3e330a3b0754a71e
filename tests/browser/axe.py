"""Running axe-core in the page and reporting what it finds."""
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
