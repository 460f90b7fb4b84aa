"""The calendar: a year of days written, one character a day, a row per weekday.

The shade is a character as well as a colour, so it reads with NO_COLOR too.
"""

import datetime as dt

from rich.console import RenderableType
from rich.text import Text

from reflect.trends.stats import CalendarYear

SHADES = "·░▒▓█"
STYLES = ("dim", "green", "green", "bold green", "bold green")
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
GUTTER = 4


def calendar_view(year: CalendarYear) -> list[RenderableType]:
    """About 58 columns wide: 4 for weekday names, one per week."""
    first = dt.date(year.year, 1, 1)
    last = dt.date(year.year, 12, 31)
    counted_to = first + dt.timedelta(days=year.consistency.days - 1)
    monday = first - dt.timedelta(days=first.weekday())
    weeks = (last - monday).days // 7 + 1
    levels = {day.date: day.level for day in year.days}

    months = [" "] * (GUTTER + weeks)
    for month in range(1, 13):
        column = GUTTER + (dt.date(year.year, month, 1) - monday).days // 7
        name = dt.date(year.year, month, 1).strftime("%b")
        if all(c == " " for c in months[column - 1 : column + len(name)]):
            months[column : column + len(name)] = name
    lines: list[RenderableType] = [_title(year), Text("".join(months).rstrip())]
    for weekday in range(7):
        line = Text(f"{DAY_NAMES[weekday]:<{GUTTER}}")
        for week in range(weeks):
            day = monday + dt.timedelta(days=week * 7 + weekday)
            if day < first or day > last or day > counted_to:
                line.append(" ")
            else:
                level = levels.get(day, 0)
                line.append(SHADES[level], style=STYLES[level])
        line.rstrip()
        lines.append(line)
    lines.append(_legend(year))
    return lines


def _title(year: CalendarYear) -> Text:
    c = year.consistency
    title = Text(f"{year.year}", style="bold")
    title.append(f"  wrote on {c.written} of {c.days} days")
    title.append(f" · longest streak {c.longest_streak} day{'s' if c.longest_streak != 1 else ''}")
    return title


def _legend(year: CalendarYear) -> Text:
    legend = Text(" " * GUTTER)
    legend.append(SHADES[0], style=STYLES[0])
    legend.append(" none  ")
    for level in range(1, 5):
        legend.append(SHADES[level], style=STYLES[level])
    most = year.max_answers
    legend.append(f" few to most answers (the most: {most} on one day)" if most else " written")
    return legend
