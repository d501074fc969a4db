"""The forms of an HTML page as a browser would submit them, for tests and load scripts.

Pages are parsed with the standard library's ``HTMLParser``: each ``<form>`` gives its
action, method, encoding and fields (``input``, ``select`` with its options, ``textarea``
with its text). ``defaults`` answers a form the way a person who changes nothing would,
with plain sample values where a required field is empty.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

#: A sample value for an empty required field, by input type.
SAMPLES = {
    "email": "new.person@example.org",
    "url": "https://example.org/",
    "date": "2026-06-01",
    "datetime-local": "2026-06-01T10:00",
    "time": "10:00",
    "month": "2026-06",
    "tel": "555-0100",
    "color": "#336699",
}


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: dict[str, Any] | None = None
        self._textarea: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {
                    "action": a.get("action", ""),
                    "method": a.get("method", "get").lower(),
                    "fields": [],
                    "enctype": a.get("enctype", ""),
                }
            )
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            self.forms[-1]["fields"].append(
                {
                    "name": a["name"],
                    "type": a.get("type", "text").lower(),
                    "value": a.get("value", ""),
                    "checked": "checked" in a,
                    "required": "required" in a,
                    "min": a.get("min", ""),
                }
            )
        elif tag == "select" and a.get("name"):
            self._select = {
                "name": a["name"],
                "type": "select",
                "options": [],
                "selected": None,
                "multiple": "multiple" in a,
            }
            self.forms[-1]["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
            if "selected" in a:
                self._select["selected"] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = {
                "name": a["name"],
                "type": "textarea",
                "value": "",
                "required": "required" in a,
            }
            self.forms[-1]["fields"].append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_of(html: str) -> list[dict[str, Any]]:
    """Every form of the page, in document order.

    >>> page = '''<form method="post" action="/x/"><input name="a" value="1">
    ... <select name="s"><option value="">-</option><option value="b" selected>B</option>
    ... </select><textarea name="t" required>hi</textarea></form>'''
    >>> form = forms_of(page)[0]
    >>> form["action"], form["method"], [f["name"] for f in form["fields"]]
    ('/x/', 'post', ['a', 's', 't'])
    >>> defaults(form)
    [('a', '1'), ('s', 'b'), ('t', 'hi')]
    """
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def defaults(form: dict[str, Any]) -> list[tuple[str, str]]:
    """What the form sends if its reader changes nothing: the values shown, the checked
    boxes, the selected (else the first non-empty) option and the checked (else the first)
    radio button, and a sample where a required field is empty.

    >>> defaults({"fields": [
    ...     {"name": "n", "type": "number", "value": "", "min": "2", "required": True},
    ...     {"name": "e", "type": "email", "value": "", "required": True},
    ...     {"name": "r", "type": "radio", "value": "x", "checked": False},
    ...     {"name": "r", "type": "radio", "value": "y", "checked": True},
    ...     {"name": "c", "type": "checkbox", "value": "on", "checked": False},
    ...     {"name": "go", "type": "submit", "value": "Save"}]})
    [('n', '2'), ('e', 'new.person@example.org'), ('r', 'y')]
    """
    data: list[tuple[str, str]] = []
    radios: dict[str, str] = {}
    for field in form["fields"]:
        kind, name, value = field["type"], field["name"], field.get("value", "")
        if kind == "radio":
            if field["checked"] or name not in radios:
                radios[name] = value
        elif kind == "checkbox":
            if field["checked"]:
                data.append((name, value or "on"))
        elif kind == "select":
            options = [option for option in field["options"] if option]
            chosen = field["selected"]
            if chosen is None and options and not field.get("multiple"):
                chosen = options[0]
            if chosen is not None:
                data.append((name, chosen))
        elif kind in ("submit", "button", "image", "file", "reset"):
            continue
        elif not value and field.get("required"):
            sample = field.get("min") if kind in ("number", "range") else SAMPLES.get(kind)
            data.append((name, sample or ("1" if kind in ("number", "range") else "Sample")))
        else:
            data.append((name, value))
    data.extend(radios.items())
    return data
