import io

import pytest
from django.core.management import call_command

from cases.models import Case


@pytest.mark.django_db
def test_the_bench_measures_the_pages_and_leaves_the_database_as_it_was():
    out = io.StringIO()
    call_command("cases_bench", "--cases", "30", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 8
    assert lines[0].startswith("/victoires/") and "cold: 200" in lines[0]
    assert not Case.objects.exists()
