"""An expert's contact card (vCard 4.0, RFC 6350): only what they made public on their page.

Name, role, organisation and team, their page, their photo as the site serves
it, the languages and topics of their profile, their own networks
(``SOCIALPROFILE``, RFC 9554) and, only if they chose to give it, their own
e-mail address. A card made from a page holds nothing the page does not show.
"""

from __future__ import annotations

import uuid

from .contentlines import document, line, text


def vcard(expert, *, origin: str, organization: str, photo_url: str | None) -> str:
    page = f"{origin}/{expert.url}"
    given, _, family = expert.name.rpartition(" ")
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        "PRODID:-//ambassade//vCard//EN",
        "KIND:individual",
        line("UID", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, page)}"),
        line("FN", text(expert.name)),
        line("N", ";".join(text(part) for part in (family, given, "", "", ""))),
        line("TITLE", text(expert.role)),
    ]
    if organization:
        lines.append(line("ORG", ";".join(text(part) for part in (organization, expert.team) if part)))
    lines.append(line("URL", page, type="work"))
    if photo_url:
        lines.append(line("PHOTO", f"{origin}/{photo_url}", mediatype="image/jpeg"))
    if expert.contact.via == "self":
        lines.append(line("EMAIL", text(expert.contact.email), type="work"))
    if expert.location:
        lines.append(line("ADR", ";".join(("", "", "", text(expert.location), "", "", "")), type="work"))
    for rank, language in enumerate(expert.languages, 1):
        lines.append(line("LANG", language, pref=str(rank)))
    if expert.expertise:
        lines.append(line("CATEGORIES", ",".join(text(topic) for topic in expert.expertise)))
    for link in expert.links:
        if link.network == "website":
            lines.append(line("URL", link.url, type="home"))
        else:
            lines.append(line("SOCIALPROFILE", link.url, service_type=link.label))
    lines.append("END:VCARD")
    return document(lines)
