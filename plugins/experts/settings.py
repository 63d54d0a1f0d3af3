"""The ``EXPERTS`` settings: where expert, topic and directory pages go, what the home page shows of
experts, and how many related articles an article ends with."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from ambassade.i18n import _
from ambassade.settings import Problem, Section, default

EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[A-Za-z]{2,}$")


@dataclass(frozen=True)
class ExpertsSettings(Section):
    NAME: ClassVar[str] = "EXPERTS"

    url: str = default("experts/{slug}/", doc="an expert page's URL")
    save_as: str = default("experts/{slug}/index.html", doc="where an expert page is written")
    index_save_as: str = default("experts/index.html", doc="the directory of experts")
    topic_url: str = default("expertise/{slug}/", doc="a topic page's URL")
    topic_save_as: str = default("expertise/{slug}/index.html", doc="where a topic page is written")
    topics_save_as: str = default("expertise/index.html", doc="the list of topics")
    featured: int = default(6, min=0, doc="how many experts the home page shows")
    related: int = default(
        3, min=0, doc="related articles at the end of an article (shared topics, same language first)"
    )
    comms_email: str = default(
        "",
        doc="the communication team's address: visitors' requests to the experts whose profile says "
        "'contact: comms' (the default) go there; '' shows them no contact button",
    )
    agenda_save_as: str = default("agenda/index.html", doc="the agenda: every upcoming talk of the experts")
    agenda_calendar_save_as: str = default(
        "agenda/agenda.ics", doc="the agenda as an iCalendar file, to subscribe to in a calendar"
    )
    speakers_save_as: str = default(
        "intervenants/index.html", doc="the experts who accept to speak, by topic and by language"
    )
    calendar_save_as: str = default(
        "experts/{slug}/interventions.ics", doc="an expert's talks as an iCalendar file"
    )
    vcard_save_as: str = default("experts/{slug}/{slug}.vcf", doc="an expert's contact card (vCard 4.0)")
    qr_save_as: str = default("experts/{slug}/{slug}-qr.svg", doc="a QR code of an expert's page (SVG)")

    filter_url: str = default(
        "experts/{facet}/{value}/", doc="the directory filtered on one value of one facet (a city, a topic…)"
    )
    filter_save_as: str = default(
        "experts/{facet}/{value}/index.html", doc="where a filtered directory is written"
    )
    facets: dict[str, str] = default(
        {"expertise": "expertise", "location": "ville", "language": "langue", "team": "equipe"},
        doc="the word each facet of the directory has in the filtered pages' addresses",
    )

    def problems(self) -> list[Problem]:
        out = []
        if self.comms_email and not EMAIL.match(self.comms_email):
            out.append(
                Problem(
                    ("comms_email",),
                    _("is %(value)r", value=self.comms_email),
                    _("an e-mail address such as 'experts@example.org', or ''"),
                )
            )
        for name in ("calendar_save_as", "vcard_save_as", "qr_save_as"):
            if "{slug}" not in getattr(self, name):
                out.append(
                    Problem((name,), _("is %(value)r", value=getattr(self, name)), _("a path with {slug}"))
                )
        for facet in set(FACETS) - set(self.facets):
            out.append(Problem(("facets",), _("has no word for '%(facet)s'", facet=facet), ", ".join(FACETS)))
        for facet in set(self.facets) - set(FACETS):
            out.append(
                Problem(
                    ("facets", facet), _("is not a facet"), _("one of %(choices)s", choices=", ".join(FACETS))
                )
            )
        for name in ("filter_url", "filter_save_as"):
            template = getattr(self, name)
            if "{facet}" not in template or "{value}" not in template:
                out.append(
                    Problem(
                        (name,), _("is %(value)r", value=template), _("an address with {facet} and {value}")
                    )
                )
        return out


FACETS = ("expertise", "location", "language", "team")
"""What the directory filters experts by: topic, city, language spoken, team."""
