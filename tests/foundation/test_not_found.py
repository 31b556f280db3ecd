from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_an_unknown_api_path_answers_json(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Не найдено."}


@pytest.mark.django_db
def test_an_unknown_page_answers_a_russian_page(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()
