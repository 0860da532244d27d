"""The tables in docs/vehicle.md, derived from the spec (a unit test keeps the doc in step)."""

from __future__ import annotations

from app.vehicle.spec import Control, fmt_num, load_spec
from app.vehicle.state import CabinState, get_path

BEGIN, END = "<!-- controls table: python -m app.vehicle docs --write -->", "<!-- end of controls table -->"


def _range(c: Control) -> str:
    if c.type == "number":
        return f"{fmt_num(c.min)}–{fmt_num(c.max)} step {fmt_num(c.step or 1)} {c.unit_en}".strip()
    if c.type == "enum":
        return " / ".join(c.choices)
    return "on / off"


def controls_table() -> str:
    spec = load_spec()
    defaults = CabinState()
    rows = [
        BEGIN,
        "| path | type | range | default | label (en / zh) | synonyms (examples) |",
        "|---|---|---|---|---|---|",
    ]
    for c in spec.controls.values():
        default = get_path(defaults, c.members[0] if c.members else c.path)
        label = f"{c.label_en} / {c.label_zh}"
        syn = ", ".join([*c.synonyms_en[:2], *c.synonyms_zh[:2]])
        group = f" (sets {', '.join(m.split('.', 1)[1] for m in c.members)})" if c.members else ""
        rows.append(f"| `{c.path}` | {c.type} | {_range(c)}{group} | {default} | {label} | {syn} |")
    rows += ["", "| action | arguments | label (en / zh) |", "|---|---|---|"]
    for a in spec.actions.values():
        args = ", ".join(f"{k}{'' if v.get('required') else '?'}" for k, v in a["args"].items()) or "–"
        sim = " (simulated)" if a.get("simulated") else ""
        rows.append(f"| `{a['name']}` | {args} | {a['label_en']}{sim} / {a['label_zh']} |")
    rows.append(END)
    return "\n".join(rows)


def write(path) -> bool:
    """Replace the generated part of docs/vehicle.md; True if it changed."""
    text = path.read_text(encoding="utf-8")
    a, b = text.index(BEGIN), text.index(END) + len(END)
    new = text[:a] + controls_table() + text[b:]
    path.write_text(new, encoding="utf-8")
    return new != text
