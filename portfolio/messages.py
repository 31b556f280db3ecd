"""What each rejection reason means for the specialist, in plain Russian, with what to do next."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from portfolio.models import RejectionReason


@dataclass(frozen=True)
class ReasonHelp:
    title: Any
    explanation: Any
    next_step: Any


REASON_HELP: dict[str, ReasonHelp] = {
    RejectionReason.UNKNOWN_CODE: ReasonHelp(
        _("Такого кода нет"),
        _("Портал не нашёл этот код среди выданных организаторами мероприятий."),
        _(
            "Сверьте код с письмом организатора: буквы и цифры, без пробелов (0 и O, 1 и I в кодах не "
            "используются). Если код верный, напишите организатору мероприятия — код мог быть не загружен."
        ),
    ),
    RejectionReason.ALREADY_USED: ReasonHelp(
        _("Код уже использован"),
        _("Каждый код действует один раз, и этот уже активирован — вами или другим участником."),
        _(
            "Если вы уже вводили этот код, ЗЕТ есть в портфолио. Если нет — сообщите организатору: "
            "он выдаст новый код, а использованный проверит."
        ),
    ),
    RejectionReason.SPECIALTY_MISMATCH: ReasonHelp(
        _("Мероприятие не по вашей специальности"),
        _("Мероприятие не засчитывается ни по одной специальности ваших действующих циклов."),
        _(
            "Проверьте специальности мероприятия в каталоге. Если вы работаете и по этой специальности, "
            "добавьте документ и откройте цикл, затем введите код снова."
        ),
    ),
    RejectionReason.NO_ACTIVE_CYCLE: ReasonHelp(
        _("Нет действующего цикла"),
        _("На дату мероприятия у вас нет открытого пятилетнего цикла по его специальности."),
        _(
            "Добавьте сертификат или свидетельство об аккредитации в «Документы» и откройте цикл "
            "в разделе «Пятилетние циклы», затем введите код снова."
        ),
    ),
    RejectionReason.EVENT_NOT_FINISHED: ReasonHelp(
        _("Мероприятие ещё не закончилось"),
        _("Код активируется после окончания мероприятия."),
        _("Введите код снова в день окончания мероприятия или позже; код останется действительным."),
    ),
}


def reason_help(reason: str) -> ReasonHelp | None:
    return REASON_HELP.get(reason)
