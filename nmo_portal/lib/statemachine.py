"""Lifecycles as transition tables (django-oscar's pipeline, made explicit).

An app declares its moves as data::

    PROGRAMME_MOVES = TransitionTable({
        ProgrammeStatus.DRAFT: {ProgrammeStatus.ON_REVIEW},
        ProgrammeStatus.ON_REVIEW: {ProgrammeStatus.PUBLISHED, ProgrammeStatus.NEEDS_CHANGES},
        ...
    })

and a concrete history model subclassing ``TransitionRecord``. ``transition_apply`` is the one way
a status changes: it checks the table, moves the row with a conditional UPDATE (so two concurrent
moves cannot both succeed), and writes the history row (who, when, from, to, why).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nmo_portal.lib.exceptions import ConflictError


class TransitionTable:
    def __init__(self, moves: Mapping[str, Iterable[str]]) -> None:
        self._moves: dict[str, frozenset[str]] = {str(k): frozenset(str(t) for t in v) for k, v in moves.items()}

    def allowed(self, source: str, target: str) -> bool:
        return str(target) in self._moves.get(str(source), frozenset())

    def targets(self, source: str) -> frozenset[str]:
        return self._moves.get(str(source), frozenset())

    def check(self, source: str, target: str, *, labels: Mapping[str, Any] | None = None) -> None:
        if not self.allowed(source, target):
            names = labels or {}
            raise ConflictError(
                _("Действие недоступно: из состояния «%(source)s» нельзя перейти в «%(target)s».")
                % {"source": names.get(str(source), source), "target": names.get(str(target), target)},
                code="invalid_transition",
            )

    def as_rows(self) -> list[tuple[str, str]]:
        return sorted((source, target) for source, targets in self._moves.items() for target in targets)


class TransitionRecord(models.Model):
    """Abstract history row; a concrete subclass adds the FK to its object (named ``subject``)."""

    from_status = models.CharField(_("из состояния"), max_length=32, blank=True)
    to_status = models.CharField(_("в состояние"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("причина"), blank=True)
    created_at = models.DateTimeField(_("когда"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]


def transition_apply(
    *,
    subject: models.Model,
    table: TransitionTable,
    to: str,
    history_model: type[TransitionRecord],
    actor: Any = None,
    reason: str = "",
    status_field: str = "status",
    extra_updates: Mapping[str, Any] | None = None,
    labels: Mapping[str, Any] | None = None,
) -> TransitionRecord:
    """Move ``subject`` to ``to`` if the table allows it and nobody moved it meanwhile."""
    source = getattr(subject, status_field)
    table.check(source, to, labels=labels)
    updates = {status_field: to, **(extra_updates or {})}
    with transaction.atomic():
        moved = type(subject)._default_manager.filter(pk=subject.pk, **{status_field: source}).update(**updates)
        if not moved:
            raise ConflictError(
                _("Состояние уже изменилось: обновите страницу и повторите."), code="concurrent_transition"
            )
        for field, value in updates.items():
            setattr(subject, field, value)
        return history_model.objects.create(  # type: ignore[attr-defined]
            subject=subject,
            from_status=source,
            to_status=to,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            reason=reason,
        )
