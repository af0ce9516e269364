"""Every admin page a superuser opens, for every registered model, loads nothing from
another host and never answers a server error."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import (
    AppealFactory,
    CaseFactory,
    MandateFactory,
    OutcomeEventFactory,
    PetitionFactory,
    SignatureFactory,
    TierFactory,
)

pytestmark = pytest.mark.django_db

ASSET = re.compile(r'<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)="([^"]*)"', re.I)


def outside_assets(html):
    return [url for url in ASSET.findall(html) if re.match(r"(?:https?:)?//", url)]


@pytest.fixture
def objects():
    case = CaseFactory()
    OutcomeEventFactory(case=case)
    petition = PetitionFactory(case=case)
    SignatureFactory(petition=petition)
    AppealFactory()
    TierFactory()
    MandateFactory()


def test_no_admin_page_loads_an_asset_from_another_host(admin_client, objects):
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        first = model._default_manager.first()
        if first is not None:
            urls.append(
                reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            )
    assert len(urls) > 15
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code in (200, 302, 403), f"{url} answered {response.status_code}"
        assert outside_assets(response.content.decode()) == [], url
        # One language switch per form (core.admin.LanguageSwitchMixin), no per-field tabs.
        assert "jquery-ui" not in response.content.decode(), url


def test_the_detector_finds_an_outside_script():
    html = '<script src="https://code.jquery.com/ui/1.13.2/jquery-ui.min.js"></script>'
    assert outside_assets(html) == ["https://code.jquery.com/ui/1.13.2/jquery-ui.min.js"]
    assert outside_assets('<script src="/static/admin/js/core.js"></script>') == []
