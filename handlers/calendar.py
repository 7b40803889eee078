"""/mes and /dia: films premiered in a month or on a weekday."""

from __future__ import annotations

from handlers import charts, texts
from handlers.reply import Reply, invalid
from handlers.services import Services
from movierec.results import Invalid


def month(s: Services, lang: str, text: str) -> Reply:
    result = s.engine.month(text)
    if isinstance(result, Invalid):
        return invalid(lang, result.reason, text)
    name = texts.MONTHS[lang][result.month - 1]
    count = texts.number(lang, result.count)
    photo = charts.calendar_chart(s, lang, "month", result.month - 1)
    text = texts.say(lang, "month_result", month=name, count=count)
    return Reply(text, photo=photo, complete=photo is not None)


def weekday(s: Services, lang: str, text: str) -> Reply:
    result = s.engine.weekday(text)
    if isinstance(result, Invalid):
        return invalid(lang, result.reason, text)
    name = texts.WEEKDAYS[lang][result.weekday]
    count = texts.number(lang, result.count)
    photo = charts.calendar_chart(s, lang, "weekday", result.weekday)
    text = texts.say(lang, "weekday_result", weekday=name, count=count)
    return Reply(text, photo=photo, complete=photo is not None)
