"""Passwords are argon2id hashes (argon2-cffi's defaults), never the clear text."""
from duzhan.auth.passwords import hash_password, needs_rehash, verify_password


def test_hash_is_argon2id_with_the_library_defaults_and_verifies(real_argon2):
    h = hash_password("s3cret-pass")
    assert h.startswith("$argon2id$") and "s3cret-pass" not in h
    assert not needs_rehash(h)
    assert verify_password(h, "s3cret-pass")
    assert not verify_password(h, "s3cret-pasS")
    assert hash_password("s3cret-pass") != h  # salted


def test_a_damaged_hash_is_a_failed_check_not_a_crash():
    assert not verify_password("not-a-hash", "x")
    assert not verify_password("", "x")


def test_weaker_old_hashes_are_flagged_for_rehash(real_argon2):
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash("pw")
    assert needs_rehash(weak) and verify_password(weak, "pw")
