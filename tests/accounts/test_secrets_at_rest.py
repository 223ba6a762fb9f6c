"""Second-factor seeds are never in the database in clear."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from kenes.accounts import services
from kenes.accounts.models import User
from kenes.core import crypto


def stored(user) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT totp_secret FROM accounts_user WHERE id = %s", [user.pk])
        return cursor.fetchone()[0]


def test_the_seed_is_encrypted_in_the_table_and_clear_in_the_application(users):
    user = users["analyst"]
    secret = services.new_totp_secret()
    user.totp_secret = secret
    user.save()
    raw = stored(user)
    assert raw.startswith("fernet:") and secret not in raw
    assert User.objects.get(pk=user.pk).totp_secret == secret


def test_a_legacy_clear_value_is_read_and_encrypted_on_the_next_save(users):
    user = users["analyst"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_user SET totp_secret = %s WHERE id = %s", ["JBSWY3DPEHPK3PXP", user.pk])
    fresh = User.objects.get(pk=user.pk)
    assert fresh.totp_secret == "JBSWY3DPEHPK3PXP"
    fresh.save()
    assert stored(fresh).startswith("fernet:")


def test_another_key_is_a_configuration_error_not_an_empty_secret(users, settings):
    user = users["analyst"]
    user.totp_secret = services.new_totp_secret()
    user.save()
    settings.KENES_FIELD_KEY = "a different key"
    with pytest.raises(ImproperlyConfigured):
        User.objects.get(pk=user.pk)


def test_the_same_value_encrypts_differently_each_time():
    assert crypto.encrypt("JBSWY3DPEHPK3PXP") != crypto.encrypt("JBSWY3DPEHPK3PXP")
    assert crypto.decrypt(crypto.encrypt("JBSWY3DPEHPK3PXP")) == "JBSWY3DPEHPK3PXP"


def test_a_former_key_still_decrypts_and_the_next_save_moves_to_the_new_one(users, settings):
    user = users["analyst"]
    secret = services.new_totp_secret()
    user.totp_secret = secret
    user.save()
    settings.KENES_FIELD_KEY = "the new key"
    settings.KENES_FIELD_KEY_FALLBACKS = [settings.SECRET_KEY]
    fresh = User.objects.get(pk=user.pk)
    assert fresh.totp_secret == secret
    fresh.save()
    settings.KENES_FIELD_KEY_FALLBACKS = []
    assert User.objects.get(pk=fresh.pk).totp_secret == secret


@pytest.mark.django_db(transaction=True)
def test_the_migration_decrypts_on_the_way_back_and_encrypts_again(users):
    from django.core.management import call_command

    user = users["analyst"]
    user.totp_secret = "JBSWY3DPEHPK3PXP"
    with transaction.atomic():
        user.save()
    call_command("migrate", "accounts", "0001", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT totp_secret FROM accounts_user WHERE id = %s", [user.pk])
        assert cursor.fetchone()[0] == "JBSWY3DPEHPK3PXP"
    call_command("migrate", "accounts", verbosity=0)
    assert stored(user).startswith("fernet:")
    assert User.objects.get(pk=user.pk).totp_secret == "JBSWY3DPEHPK3PXP"
