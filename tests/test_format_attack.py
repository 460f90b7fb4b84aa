"""The entry format bent the way a hostile user and their tools bend it: nothing hidden silently."""

from reflect.journal.home import Home
from tests.conftest import Run, write

CASED = """\
---
date: 2026-11-16
format: 2
Demo/Mood: 4
demo/threatened: true
given:
  demo/mood: 1.0.0
  demo/threatened: 1.0.0
  Demo/Threatened/Follow-Up: 1.0.0
---

## Whose?
<!-- reflect: demo/threatened/follow-up -->

Sam
"""


def test_doctor_names_an_answer_property_written_in_capitals(demo: Home, run: Run) -> None:
    # Obsidian lets a person rename a property; `Demo/Mood` is not an answer, so the 4 is
    # in no show, history or export: doctor must say why, where.
    write(demo, "2026-11-16", CASED)
    shown = run(["show", "2026-11-16", "--json"])
    assert shown.exit_code == 0, shown.output
    assert '"mood"' not in shown.stdout
    result = run(["doctor"])
    assert "2026-11-16.md: line 4: 'Demo/Mood'" in result.stdout, result.output
    assert "demo/mood" in result.stdout
    assert "line 9: given: 'Demo/Threatened/Follow-Up'" in result.stdout, result.output
