"""A first draft of the report to the Information Commissioner's Office, from the
incident record and the exposure report, in the order the ICO's breach form asks.

It is a draft: the DPO edits it. It carries numbers and categories, never names."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from porch.core.actor import Actor
from porch.exposure.reports import ExposureReport, Window, exposure_report, require_dpo
from porch.housing.models import Membership
from porch.incidents.models import Incident

CONSEQUENCES = {
    "documents": "Documents can show rent and payment details, correspondence and, for internal documents, "
    "case notes, anti-social behaviour case files and witness statements. People named in those could "
    "face distress, harassment or retaliation; financial details could be used for fraud.",
    "household": "Names, home addresses, dates of birth and contact details can be used to contact, locate "
    "or impersonate people, and show who lives with whom.",
    "accounts": "Account details and sign-up letters could help someone try to take over a portal account.",
    "privacy": "Records of who has looked at a person's data can reveal contact with our staff "
    "(for example a complaint or a support need).",
    "other": "Other records about people: the DPO should describe them.",
}


def incident_window(incident: Incident) -> Window:
    """The default: from 7 days before the first report until now."""
    now = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    return Window(incident.aware_at - datetime.timedelta(days=7), now)


# The draft quotes this many reports; the incident record keeps every one.
LISTED_REPORTS = 20


def _at(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d %B %Y at %H:%M") if moment else "not yet"


def ico_draft(*, actor: Actor, incident: Incident, window: Window) -> str:
    require_dpo(actor)
    report = exposure_report(actor=actor, window=window)
    reports = list(incident.reports.order_by("created_at", "id"))
    timeline = list(incident.timeline.order_by("at", "id"))
    lines: list[str] = [
        f"DRAFT report to the Information Commissioner's Office: incident {incident.reference}",
        f"Drafted {_at(timezone.now())} from the incident record and the audit log. Check and edit every part.",
        "",
        "1. What happened",
        incident.summary or "[Summary of the incident]",
    ]
    lines += [
        f"- Report {r.reference} ({r.get_channel_display().lower()}, {_at(r.created_at)}): {r.what_seen}"
        for r in reports[:LISTED_REPORTS]
    ]
    if len(reports) > LISTED_REPORTS:
        # After a flood of reports from one place the draft stays readable; the record has them all.
        lines.append(f"- And {len(reports) - LISTED_REPORTS} more reports: see the incident record.")
    lines += ["", *_exposure_facts(report)]
    lines += [
        "",
        "2. When it happened",
        _when_it_happened(report),
        "",
        "3. When we found out",
        f"We became aware on {_at(incident.aware_at)}, when the first report reached us. "
        f"The 72 hours for telling the ICO end on {_at(incident.ico_deadline)}.",
        *_late(incident),
        "",
        "4. Personal data and people concerned",
        *_categories(report),
        "",
        "5. Likely consequences",
        *[f"- {CONSEQUENCES.get(kind.module, CONSEQUENCES['other'])}" for kind in report.kinds],
        "[The DPO's assessment of the risk to people's rights and freedoms, and its severity]",
        "",
        "6. Measures taken",
        f"Contained: {_at(incident.contained_at)}.",
        *[f"- {_at(entry.at)}: {entry.what}" for entry in timeline],
        "[Steps to stop it happening again]",
        "",
        "7. Telling the people affected",
        _affected_decision(incident),
        "",
        "8. Contact",
        f"Data Protection Officer, {settings.LANDLORD_NAME}. [Name, email and phone]",
    ]
    return "\n".join(lines)


def _exposure_facts(report: ExposureReport) -> list[str]:
    if not report.events:
        return [
            f"The audit log shows no personal data served outside our access rules between {report.window}. "
            "[If the data left another way, describe it]"
        ]
    kinds: dict[str, set[tuple[str, str]]] = {}
    for receipt in report.receipts:
        kinds.setdefault(receipt.recipient.kind, set()).add((receipt.recipient.label, receipt.recipient.reference))
    recipients = ", ".join(f"{len(who)} {kind}" for kind, who in sorted(kinds.items()))
    return [
        f"Our audit log shows {report.events} occasions between {report.window} on which a person's data was "
        f"shown to someone our access rules did not allow at the time. Recipients: {recipients}.",
    ]


def _when_it_happened(report: ExposureReport) -> str:
    if report.first_seen is None:
        return "[When it happened: the audit log shows no such events in the window checked]"
    return f"The first such event was on {_at(report.first_seen)} and the last on {_at(report.last_seen)}."


def _late(incident: Incident) -> list[str]:
    if timezone.now() <= incident.ico_deadline:
        return []
    return ["This report is later than 72 hours after we became aware. [Why]"]


def _categories(report: ExposureReport) -> list[str]:
    people = report.real_people
    if not report.kinds:
        return ["[Categories of data and people, and approximate numbers]"]
    lines = ["Categories of personal data:"]
    lines += [
        f"- {kind.label}: {kind.description} ({_n(kind.events, 'event')}, {_n(kind.people, 'person', 'people')})"
        for kind in report.kinds
    ]
    roles = _roles([a.person.id for a in people])
    today = timezone.localdate()
    children = sum(1 for a in people if a.person.date_of_birth and _age(a.person.date_of_birth, today) < 18)
    lines += [
        f"Approximate number of people affected: {len(people)}"
        + (f" ({', '.join(f'{n} {label}' for label, n in roles.items())})" if roles else ""),
        f"Of whom children (under 18 by the date of birth we hold): {children}.",
        f"Approximate number of records concerned: {report.records} (individual records or documents), "
        f"shown {report.events} times.",
        "Categories of people: residents (tenants, leaseholders, homeowners) and members of their households.",
    ]
    return lines


def _roles(person_ids: list[int]) -> dict[str, int]:
    """How many of the people are tenants, homeowners or household members (their latest role)."""
    counts: dict[str, int] = {}
    seen: set[int] = set()
    for membership in Membership.objects.filter(person_id__in=person_ids).order_by("person_id", "-start_date"):
        if membership.person_id in seen:
            continue
        seen.add(membership.person_id)
        label = membership.get_role_display().lower()
        counts[label] = counts.get(label, 0) + 1
    return {label if n == 1 else f"{label}s": n for label, n in counts.items()}


def _n(count: int, one: str, many: str = "") -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


def _age(born: datetime.date, today: datetime.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _affected_decision(incident: Incident) -> str:
    if not incident.affected_decision:
        return "[Not decided yet: whether we are telling the people affected, when and how]"
    said = "We are telling" if incident.affected_decision == Incident.Decision.YES else "We are not telling"
    return f"{said} the people affected: {incident.affected_decision_reason}"
