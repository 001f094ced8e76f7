"""Password guessing is stopped at sign-in (and at signing: tests/steward/annual/test_annual_flow.py)."""

import pytest
from django.core.cache import cache

from tenants.attempts import SIGN_IN

PASSWORD = "huzhou-demo-2024"


@pytest.fixture
def clean_counts():
    cache.clear()
    yield
    cache.clear()


def _sign_in(client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_an_account_is_locked_after_five_wrong_passwords_even_for_the_right_one(client, clean_counts):
    for guess in range(SIGN_IN.limit):
        response = _sign_in(client, "power.filer", f"guess-{guess}")
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    response = _sign_in(client, "power.filer", PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "登录失败次数过多，该账号已锁定 15 分钟" in response.content.decode()
    # Another account is not affected, and the lock ends (here: the counts expire).
    assert _sign_in(client.__class__(), "power.admin", PASSWORD).status_code == 302
    cache.clear()
    assert _sign_in(client, "power.filer", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_successful_sign_in_clears_the_count(client, clean_counts):
    for guess in range(SIGN_IN.limit - 1):
        _sign_in(client, "power.filer", f"guess-{guess}")
    assert _sign_in(client, "power.filer", PASSWORD).status_code == 302
    client.logout()
    for guess in range(SIGN_IN.limit - 1):
        _sign_in(client, "power.filer", f"guess-{guess}")
    assert _sign_in(client, "power.filer", PASSWORD).status_code == 302
