"""The Kazakh, Russian and English catalogues are complete and up to date with the code."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "kenes" / "locale"
LANGUAGES = ("kk", "ru", "en")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{\s*\w+\s*\}\}")


def entries(path: Path) -> list[dict]:
    """Parse a .po file into entries with their msgid, plural and translations (a small, strict reader)."""
    result, current, key = [], None, None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if current is not None:
                result.append(current)
            current, key = None, None
            continue
        if current is None:
            current = {"flags": "", "msgid": "", "msgid_plural": None, "msgstr": {}}
        if line.startswith("#,"):
            current["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = line[1:-1]
            if isinstance(key, tuple):
                current["msgstr"][key[1]] += value
            else:
                current[key] += value
        else:
            word, _, rest = line.partition(" ")
            value = rest[1:-1]
            match = re.fullmatch(r"msgstr\[(\d)\]", word)
            if match:
                key = ("msgstr", int(match.group(1)))
                current["msgstr"][key[1]] = value
            elif word == "msgstr":
                key = ("msgstr", 0)
                current["msgstr"][0] = value
            else:
                key = word
                current[word] = value
    return [e for e in result if e["msgid"] or e["msgstr"]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete_and_placeholders_are_kept(language):
    catalogue = entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    messages = [e for e in catalogue if e["msgid"]]
    assert len(messages) > 150
    for entry in messages:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        assert entry["msgstr"] and all(entry["msgstr"].values()), f"untranslated: {entry['msgid']!r}"
        wanted = sorted(PLACEHOLDER.findall(entry["msgid_plural"] or entry["msgid"]))
        for translation in entry["msgstr"].values():
            assert sorted(PLACEHOLDER.findall(translation)) == wanted, (entry["msgid"], translation)
    if language == "kk":
        assert any(set("әғқңөұүһі") & set(text) for e in messages for text in e["msgstr"].values())


def test_catalogues_hold_every_string_of_the_code(tmp_path):
    """Extracting the strings again finds nothing that the catalogues lack."""
    copy = tmp_path / "kenes"
    shutil.copytree(ROOT / "kenes", copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    environment = {
        **os.environ,
        "KENES_DEMO": "1",
        "KENES_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "kenes.settings",
        "PYTHONPATH": str(tmp_path),
    }
    environment.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-location", "-v0"],
        cwd=tmp_path,
        env=environment,
        check=True,
        capture_output=True,
        timeout=300,
    )
    fresh = {e["msgid"] for e in entries(copy / "locale" / "en" / "LC_MESSAGES" / "django.po") if e["msgid"]}
    for language in LANGUAGES:
        known = {e["msgid"] for e in entries(LOCALE / language / "LC_MESSAGES" / "django.po") if e["msgid"]}
        assert fresh - known == set(), f"{language} lacks {sorted(fresh - known)[:5]}"
