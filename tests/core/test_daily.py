import pytest
from django.core.management import CommandError, call_command

from core.models import CommandRun

pytestmark = pytest.mark.django_db


def test_daily_runs_every_daily_command_in_order_and_records_its_run(settings, capsys):
    assert settings.DAILY_COMMANDS[-3:] == ["debits_schedule", "mandates_lapse", "apply_retention"]
    call_command("daily")
    run = CommandRun.objects.get(name="daily")
    assert run.succeeded and run.finished_at >= run.started_at
    names = [line.split(":")[0] for line in run.report.splitlines()]
    assert names == settings.DAILY_COMMANDS


def test_a_failing_step_does_not_stop_the_others_and_the_run_says_so(settings):
    settings.DAILY_COMMANDS = ["no_such_command", "debits_schedule"]
    with pytest.raises(CommandError, match="no_such_command"):
        call_command("daily")
    run = CommandRun.objects.get(name="daily")
    assert not run.succeeded
    assert run.report.splitlines()[1].startswith("debits_schedule: Prélèvements programmés : 0.")
