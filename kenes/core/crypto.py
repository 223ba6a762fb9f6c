"""Secrets at rest: fields whose value the database (and its backups) must never hold in clear.

Values are encrypted with Fernet (AES-128-CBC with HMAC-SHA256, from the ``cryptography`` library)
under a key derived from ``KENES_FIELD_KEY`` (or, when that is unset, ``SECRET_KEY``); former keys
in ``KENES_FIELD_KEY_FALLBACKS`` still decrypt, and a value is re-encrypted under the current key
when it is next saved. A stored value
carries a ``fernet:`` prefix; a value without it is read as a legacy clear value and encrypted on its
next save, so an existing database upgrades by migration without losing anyone's second factor.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "fernet:"


@cache
def _fernet(key_material: str) -> Fernet:
    digest = hashlib.sha256(b"kenes-field-key:" + key_material.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _cipher() -> MultiFernet:
    """Encrypts under the current key; decrypts under it or any former key listed in
    ``KENES_FIELD_KEY_FALLBACKS``, so a key can be rotated without locking anyone out."""
    current = settings.KENES_FIELD_KEY or settings.SECRET_KEY
    return MultiFernet([_fernet(key) for key in (current, *settings.KENES_FIELD_KEY_FALLBACKS) if key])


def encrypt(value: str) -> str:
    if not value or value.startswith(PREFIX):
        return value
    return PREFIX + _cipher().encrypt(value.encode()).decode()


def decrypt(value: str) -> str:
    """The clear value; a legacy clear value as it is; a value under another key is a configuration
    error (the key was changed), never silently an empty secret."""
    if not value or not value.startswith(PREFIX):
        return value
    try:
        return _cipher().decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A stored secret cannot be decrypted: KENES_FIELD_KEY (or SECRET_KEY) is not the key it was written with."
        ) from None


class EncryptedCharField(models.CharField):
    """A text field stored encrypted; the application reads and writes it in clear."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value is not None else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
