"""How a visitor reaches an expert, as the expert chose: the links of the contact buttons.

An address is written into the page as character references (``&#109;``…):
the browser reads it as any other, a program that looks for addresses in the
page's text does not. No script, nothing asked of the visitor, nothing
collected: the link opens their own mail application, with a subject and a
first line that name the expert, so that comms knows whom a request is for.
"""

from __future__ import annotations

from urllib.parse import quote

from markupsafe import Markup


def address_of(expert, comms_email: str) -> str:
    """Where requests to ``expert`` go: their own address, comms', or nowhere ('')."""
    if expert.contact.via == "self":
        return expert.contact.email
    if expert.contact.via == "comms":
        return comms_email
    return ""


def mailto(address: str, subject: str = "", body: str = "") -> Markup:
    """A ``mailto:`` URL (RFC 6068) for an ``href``, its address hidden from harvesters."""
    # Translated strings arrive as markup, their values escaped: the text itself goes in a URL.
    subject, body = (Markup.unescape(s) if isinstance(s, Markup) else s for s in (subject, body))
    query = []
    if subject:
        query.append("subject=" + quote(subject, safe=""))
    if body:
        query.append("body=" + quote(body.replace("\r\n", "\n").replace("\n", "\r\n"), safe=""))
    return hidden(f"mailto:{address}") + ("?" + "&".join(query) if query else "")


def hidden(text: str) -> Markup:
    """``text`` as character references, alternately decimal and hexadecimal."""
    return Markup("".join(f"&#{ord(c)};" if i % 2 else f"&#x{ord(c):x};" for i, c in enumerate(text)))
