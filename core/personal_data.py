"""What the site holds about a person, found by convention: each app's ``privacy.py``.

An app's ``privacy.py`` calls :func:`register` with a :class:`Declaration`: what it holds
about an email address, how to export and to erase it, its processings (for the register
of GDPR art. 30) and its retention rules, each with its period and its legal reason. The
notices, the register (``manage.py privacy_register``), ``manage.py personal_data`` and
``manage.py apply_retention`` all read these declarations: one place per app, so what the
notices promise is what the code does.

``core`` imports no app: the declarations are discovered with ``autodiscover_modules``.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Period:
    """A retention period in whole days, months or years (calendar arithmetic)."""

    days: int = 0
    months: int = 0
    years: int = 0

    def _shift(self, moment, sign: int):
        months = moment.month - 1 + sign * (self.months + 12 * self.years)
        year, month = moment.year + months // 12, months % 12 + 1
        day = min(moment.day, calendar.monthrange(year, month)[1])
        shifted = moment.replace(year=year, month=month, day=day)
        return shifted + sign * timedelta(days=self.days)

    def before(self, moment: datetime | date):
        """``moment`` minus the period: rows older than this are past their time."""
        return self._shift(moment, -1)

    def after(self, moment: datetime | date):
        """``moment`` plus the period: when something kept since ``moment`` goes."""
        return self._shift(moment, 1)

    def label(self) -> str:
        """« 3 ans », « 13 mois », « 7 jours » in the active language."""
        parts = []
        if self.years:
            parts.append(ngettext("%(n)d an", "%(n)d ans", self.years) % {"n": self.years})
        if self.months:
            parts.append(ngettext("%(n)d mois", "%(n)d mois", self.months) % {"n": self.months})
        if self.days:
            parts.append(ngettext("%(n)d jour", "%(n)d jours", self.days) % {"n": self.days})
        if not parts:
            return str(_("aucune"))
        return " ".join(parts)

    def __str__(self):
        return self.label()


@dataclass(frozen=True)
class Rule:
    """One retention rule: what goes, when, why, and the function that enforces it.

    ``enforce(now)`` returns how many rows it erased or anonymised; ``None`` when the rule
    is enforced outside the application (the host's log rotation, say), as ``outside`` says.
    """

    key: str
    data: str
    period: Period
    start: str
    action: str
    reason: str
    enforce: Callable[[datetime], int] | None = None
    outside: str = ""


@dataclass(frozen=True)
class Processing:
    """One line of the register of processing activities (GDPR art. 30)."""

    name: str
    purposes: str
    legal_basis: str
    subjects: str
    categories: str
    recipients: str
    processors: tuple[str, ...] = ()
    transfers: str = _("Aucun transfert hors de l'Union européenne.")


@dataclass
class Kept:
    """Something erasure keeps, and why (printed to the person and to staff)."""

    what: str
    why: str
    until: date | None = None


@dataclass
class Erasure:
    """What an app's ``erase`` did: lines to tell, what it kept, and the row ids touched
    (journaled, so the erasure can be replayed after a backup is restored)."""

    done: list[str] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)
    ids: dict[str, list[int]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Declaration:
    """What one app declares. ``export(email)`` returns JSON-ready data; ``erase(email,
    now)`` and ``replay(ids, now)`` return an :class:`Erasure`. ``permission`` is what a
    staff member needs to act for this app on a person's request. ``locate(email)`` returns
    a row holding the address (with ``email`` and ``language``), or ``None``: the personal
    space (``core.space``) emails its link only to addresses an app knows.
    ``newsletter_withdraw(email)`` turns the newsletter consent off for the address
    (``core.unsubscribe``) and returns how many rows changed."""

    app_label: str
    title: str
    holds: str
    permission: str
    export: Callable[[str], dict]
    erase: Callable[..., Erasure]
    replay: Callable[..., Erasure]
    processings: tuple[Processing, ...] = ()
    rules: tuple[Rule, ...] = ()
    locate: Callable[[str], object] | None = None
    newsletter_withdraw: Callable[[str], int] | None = None


@dataclass(frozen=True)
class Processor:
    """A processor (GDPR art. 28) named in the register: its role and the settings that
    name it for this organisation."""

    key: str
    role: str
    settings: tuple[str, ...]
    handles: str


def moment(value) -> str | None:
    """A date or a moment for an export: ISO 8601, moments in local time."""
    from django.utils import timezone

    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def erasure_by_rows(
    *,
    label: str,
    select: Callable[[str], object],
    select_ids: Callable[[list[int]], object],
    erase_rows: Callable[..., Erasure],
    withdraw_rows: Callable[[object], object] | None = None,
) -> tuple[Callable[..., Erasure], Callable[..., Erasure]]:
    """An app's ``erase(email)`` and ``replay(ids)`` from one way of erasing rows.

    The rows are those ``select(email)`` finds for a request, or, after a backup is
    restored, those ``select_ids`` finds among the ids an erasure journaled under
    ``label``; ``erase_rows(rows, now=)`` erases either and says what it did. A journaled
    withdrawal is replayed with ``withdraw_rows(rows)`` when the app has one."""

    def erase(email: str, *, now=None) -> Erasure:
        from django.utils import timezone

        return erase_rows(select(email), now=now or timezone.now())

    def replay(ids: dict, *, now=None, kind: str = "erase") -> Erasure:
        from django.utils import timezone

        rows = select_ids(ids.get(label, []))
        if kind == "withdraw" and withdraw_rows is not None:
            withdraw_rows(rows)
            return Erasure()
        return erase_rows(rows, now=now or timezone.now())

    return erase, replay


_registry: dict[str, Declaration] = {}
_processors: dict[str, Processor] = {}


def register(declaration: Declaration) -> Declaration:
    _registry[declaration.app_label] = declaration
    return declaration


def register_processor(processor: Processor) -> Processor:
    _processors[processor.key] = processor
    return processor


def declarations() -> list[Declaration]:
    """Every app's declaration, in the order of INSTALLED_APPS."""
    from django.apps import apps

    autodiscover_modules("privacy")
    order = [config.label for config in apps.get_app_configs()]
    return sorted(_registry.values(), key=lambda d: order.index(d.app_label))


def processors() -> list[Processor]:
    declarations()
    return list(_processors.values())


def declaration(app_label: str) -> Declaration:
    return {d.app_label: d for d in declarations()}[app_label]


def rule(key: str) -> Rule:
    """The retention rule named ``key`` (``"petitions.signer-contact"``): notices read
    their periods from here."""
    for decl in declarations():
        for item in decl.rules:
            if item.key == key:
                return item
    raise KeyError(key)


# --- Acting on a person's request ------------------------------------------------------


def _selected(apps_labels) -> list[Declaration]:
    found = declarations()
    if apps_labels is None:
        return found
    return [d for d in found if d.app_label in apps_labels]


def person_export(*, email: str, apps_labels=None, now=None) -> dict:
    """One JSON-ready document with what every app (or those named) holds about ``email``."""
    from django.utils import timezone

    now = now or timezone.now()
    return {
        "email": email.strip(),
        "exported_at": now.isoformat(),
        "apps": {d.app_label: d.export(email) for d in _selected(apps_labels)},
    }


def _admin_log_scrub(ids: dict[str, list[int]]) -> None:
    """The admin's own history names objects (« Camille M. »): erased rows lose that too."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    for label, pks in ids.items():
        app_label, model = label.split(".")
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        if content_type is None or not pks:
            continue
        LogEntry.objects.filter(
            content_type=content_type, object_id__in=[str(pk) for pk in pks]
        ).update(object_repr="—", change_message="")


def _journal(*, kind, channel, by, identity_checked, results, now) -> None:
    from core.models import PrivacyRequest

    erased_ids: dict[str, list[int]] = {}
    summary: dict[str, dict] = {}
    for decl, result in results:
        summary[decl.app_label] = dict(result.counts)
        for label, pks in result.ids.items():
            erased_ids.setdefault(label, []).extend(pks)
    PrivacyRequest.objects.create(
        kind=kind,
        channel=channel,
        by=by if by is not None and by.is_authenticated else None,
        identity_checked=identity_checked,
        apps=",".join(decl.app_label for decl, _result in results),
        summary=summary,
        erased_ids=erased_ids,
    )


def person_export_journaled(*, email, channel, by=None, identity_checked=False, apps_labels=None):
    """Export, and journal that it was done (the counts per app, never the data)."""
    document = person_export(email=email, apps_labels=apps_labels)
    results = []
    for decl in _selected(apps_labels):
        data = document["apps"].get(decl.app_label) or {}
        counts = {key: len(value) for key, value in data.items() if isinstance(value, list)}
        results.append((decl, Erasure(counts=counts)))
    from core.models import PrivacyRequest

    _journal(
        kind=PrivacyRequest.Kind.EXPORT,
        channel=channel,
        by=by,
        identity_checked=identity_checked,
        results=results,
        now=None,
    )
    return document


def person_erase(
    *, email: str, channel: str, by=None, identity_checked=False, apps_labels=None, now=None
) -> list[tuple[Declaration, Erasure]]:
    """Erase or anonymise what every app (or those named) holds about ``email``, beyond
    what the law requires us to keep; journal it. Returns each app's :class:`Erasure`."""
    from django.db import transaction
    from django.utils import timezone

    from core.models import PrivacyRequest

    now = now or timezone.now()
    with transaction.atomic():
        results = [(d, d.erase(email, now=now)) for d in _selected(apps_labels)]
        for _decl, result in results:
            _admin_log_scrub(result.ids)
        _journal(
            kind=PrivacyRequest.Kind.ERASE,
            channel=channel,
            by=by,
            identity_checked=identity_checked,
            results=results,
            now=now,
        )
    return results


def erasures_replay(*, since: datetime, now=None) -> int:
    """After a backup is restored: erase again the rows every erasure journaled since
    ``since`` touched. Returns how many journaled erasures were replayed."""
    from django.db import transaction
    from django.utils import timezone

    from core.models import PrivacyRequest

    now = now or timezone.now()
    journal = PrivacyRequest.objects.filter(
        kind__in=[PrivacyRequest.Kind.ERASE, PrivacyRequest.Kind.WITHDRAW], at__gte=since
    ).order_by("at", "pk")
    replayed = 0
    with transaction.atomic():
        for entry in journal:
            for decl in declarations():
                mine = {
                    label: pks
                    for label, pks in entry.erased_ids.items()
                    if label.split(".")[0] == decl.app_label
                }
                if mine:
                    decl.replay(mine, now=now, kind=entry.kind)
                    _admin_log_scrub(mine)
            replayed += 1
    return replayed


def retention_apply(*, now=None) -> list[tuple[Rule, int | None]]:
    """Enforce every app's retention rules at ``now``; returns each rule with its count
    (``None`` for rules enforced outside the application)."""
    from django.db import transaction
    from django.utils import timezone

    now = now or timezone.now()
    done = []
    for decl in declarations():
        for item in decl.rules:
            if item.enforce is None:
                done.append((item, None))
                continue
            with transaction.atomic():
                done.append((item, item.enforce(now)))
    return done
