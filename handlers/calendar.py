"""/mes and /dia: films premiered in a month or on a weekday."""

from __future__ import annotations

from handlers import texts
from handlers.reply import Reply, invalid
from handlers.services import Services
from movierec.results import Invalid


def month(s: Services, lang: str, text: str) -> Reply:
    result = s.engine.month(text)
    if isinstance(result, Invalid):
        return invalid(lang, result.reason, text)
    name = texts.MONTHS[lang][result.month - 1]
    count = texts.number(lang, result.count)
    return Reply(texts.say(lang, "month_result", month=name, count=count))


def weekday(s: Services, lang: str, text: str) -> Reply:
    result = s.engine.weekday(text)
    if isinstance(result, Invalid):
        return invalid(lang, result.reason, text)
    name = texts.WEEKDAYS[lang][result.weekday]
    count = texts.number(lang, result.count)
    return Reply(texts.say(lang, "weekday_result", weekday=name, count=count))
