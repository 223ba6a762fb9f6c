"""Read a form on a rendered page as the browser would submit it unchanged: its fields' current values."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, action: str | None, method: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.method = method
        self.inside = False
        self.found = False
        self.values: dict[str, list[str]] = {}
        self.types: dict[str, str] = {}
        self._select: str | None = None
        self._first_option: str | None = None
        self._selected = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if (
            tag == "form"
            and a.get("action") == self.action
            and a.get("method", "get").lower() == self.method
            and not self.found
        ):
            self.inside = self.found = True
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text")
            self.types[name] = kind
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.values.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file", "reset"):
                self.values.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select" and name:
            self._select, self._first_option, self._selected = name, None, False
            self.types[name] = "select"
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self.values.setdefault(self._select, []).append(value)
                self._selected = True
        elif tag == "textarea" and name:
            self._textarea = name
            self.types[name] = "textarea"
            self.values[name] = [""]

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select:
            if not self._selected and self._first_option is not None:
                self.values.setdefault(self._select, []).append(self._first_option)
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][0] += data.removeprefix("\n") if not self.values[self._textarea][0] else data


def form_values(html: str, action: str | None, method: str = "post") -> tuple[dict[str, list[str]], dict[str, str]]:
    """The values of the form sent to ``action`` (``None``: the page's own address) as submitted unchanged,
    and each field's input type."""
    reader = _FormReader(action, method)
    reader.feed(html)
    assert reader.found, f"no form posting to {action}"
    return reader.values, reader.types
