"""Staff: the CSV export, who sees signatures, closing the loop when a petition is won."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.spreadsheets import neutralise
from petitions.models import Petition, Signature
from petitions.services import petition_mark_won, signature_confirm
from tests.factories import PetitionFactory, SignatureFactory

pytestmark = pytest.mark.django_db


def staff(username, group):
    user = get_user_model().objects.create_user(username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def petition():
    petition = PetitionFactory(slug="p")
    now = timezone.now()
    first = SignatureFactory(
        petition=petition,
        first_name='=HYPERLINK("http://x")',
        last_name="Éloïse",
        email="eloise@exemple.fr",
        postal_code="+33",
    )
    second = SignatureFactory(
        petition=petition,
        first_name="@Ana",
        last_name="-Dupont;Martin",
        email="ana@exemple.fr",
        newsletter=True,
    )
    signature_confirm(signature=first, now=now)
    signature_confirm(signature=second, now=now + timedelta(seconds=1))
    SignatureFactory(
        petition=petition, first_name="Pas", last_name="Confirmée", email="pending@exemple.fr"
    )
    return petition


def export_url(petition):
    return reverse("admin:petitions_petition_export", args=[petition.pk])


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6", "'+33 6"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Ana", "Ana"),
        ("", ""),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_neutralised(value, cell):
    assert neutralise(value) == cell


def test_mobilisation_exports_the_confirmed_signatures_for_a_french_spreadsheet(client, petition):
    client.force_login(staff("mob", "Mobilisation"))
    assert "Exporter (CSV)" in client.get(export_url(petition)).content.decode()
    response = client.post(
        export_url(petition),
        {
            "purpose": "internal",
            "columns": [
                "first_name",
                "last_name",
                "email",
                "country",
                "postal_code",
                "language",
                "newsletter",
            ],
        },
    )
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="signatures-p-')
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Prénom", "Nom", "E-mail"]
    assert len(rows) == 3  # the header and the two confirmed signatures
    assert rows[1][:5] == ['\'=HYPERLINK("http://x")', "Éloïse", "eloise@exemple.fr", "FR", "'+33"]
    assert rows[2][:3] == ["'@Ana", "'-Dupont;Martin", "ana@exemple.fr"]
    assert rows[2][6] == "oui"
    assert "pending@exemple.fr" not in text
    assert text.splitlines()[1].startswith('"\'=HYPERLINK(""http://x"")";Éloïse;')


def _csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_names_leave_only_for_signers_who_consented_for_this_petition(client, petition):
    from petitions.models import Signature

    Signature.objects.filter(email="ana@exemple.fr").update(share_name=True)
    client.force_login(staff("mob", "Mobilisation"))
    response = client.post(
        export_url(petition),
        {"purpose": "handover", "columns": ["first_name", "last_name", "country"]},
    )
    assert _csv(response) == [["Prénom", "Nom", "Pays"], ["'@Ana", "'-Dupont;Martin", "FR"]]


def test_a_purpose_refuses_the_columns_it_does_not_need(client, petition):
    from petitions.models import SignatureExport

    client.force_login(staff("mob", "Mobilisation"))
    response = client.post(
        export_url(petition), {"purpose": "handover", "columns": ["first_name", "email"]}
    )
    assert response.status_code == 200 and not response.streaming
    html = response.content.decode().replace("\u00a0", " ")
    assert "Cette finalité ne permet pas ces colonnes : E-mail." in html
    response = client.post(export_url(petition), {"columns": ["first_name"]})
    assert "Dites à quoi servira ce fichier." in response.content.decode()
    assert not SignatureExport.objects.exists()


def test_counts_per_country_carry_no_name_and_every_export_is_recorded(client, petition):
    from petitions.models import SignatureExport

    user = staff("mob", "Mobilisation")
    client.force_login(user)
    response = client.post(export_url(petition), {"purpose": "counts", "columns": ["email"]})
    assert _csv(response) == [["Pays", "Signatures confirmées"], ["FR", "2"]]
    record = SignatureExport.objects.get()
    assert (record.by, record.petition, record.rows, record.columns) == (
        user,
        petition,
        1,
        ["country"],
    )
    # The list of exports is for superusers only.
    assert client.get(reverse("admin:petitions_signatureexport_changelist")).status_code == 403


def test_editors_and_anonymous_visitors_cannot_export(client, petition):
    url = export_url(petition)
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/admin/login/")
    client.force_login(staff("ed", "Éditeurs"))
    assert client.get(url).status_code == 403


def test_editors_write_petitions_but_never_see_signatures(client, petition):
    client.force_login(staff("ed", "Éditeurs"))
    assert (
        client.get(reverse("admin:petitions_petition_change", args=[petition.pk])).status_code
        == 200
    )
    assert client.get(reverse("admin:petitions_petition_add")).status_code == 200
    assert client.get(reverse("admin:petitions_signature_changelist")).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert "/admin/petitions/signature/" not in index
    changelist = client.get(reverse("admin:petitions_petition_changelist")).content.decode()
    assert "CSV des signatures" not in changelist


def test_mobilisation_sees_signatures_with_counts_and_search(client, petition):
    client.force_login(staff("mob", "Mobilisation"))
    signatures = client.get(reverse("admin:petitions_signature_changelist") + "?q=eloise")
    assert signatures.status_code == 200
    assert signatures.context["cl"].result_count == 1
    petitions = client.get(reverse("admin:petitions_petition_changelist"))
    row = petitions.context["cl"].result_list[0]
    assert (row.confirmed_total, row.pending_count) == (2, 1)
    petition.offline_count = 12345
    petition.save()
    html = client.get(reverse("admin:petitions_petition_changelist")).content.decode()
    assert '<td class="field-offline_column">12\u00a0345</td>' in html
    assert "CSV des signatures" in petitions.content.decode()
    assert (
        client.get(reverse("admin:petitions_petition_change", args=[petition.pk])).status_code
        == 200
    )


def test_editors_write_the_texts_and_mobilisation_runs_the_campaign(client, petition):
    client.force_login(staff("ed", "Éditeurs"))
    url = reverse("admin:petitions_petition_change", args=[petition.pk])
    form = client.get(url).context["adminform"].form
    assert "title_fr" in form.fields
    assert not {"status", "opens_at", "closes_at", "goal", "case"} & set(form.fields)
    client.force_login(staff("mob", "Mobilisation"))
    form = client.get(url).context["adminform"].form
    assert {"status", "opens_at", "closes_at", "goal", "case"} <= set(form.fields)


def test_a_petition_with_signatures_is_closed_never_deleted(client, petition):
    client.force_login(staff("mob", "Mobilisation"))
    change = client.get(reverse("admin:petitions_petition_change", args=[petition.pk]))
    assert change.context["has_delete_permission"] is False
    response = client.post(
        reverse("admin:petitions_petition_delete", args=[petition.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    bulk = client.post(
        reverse("admin:petitions_petition_changelist"),
        {"action": "delete_selected", "_selected_action": [petition.pk], "post": "yes"},
    )
    assert bulk.status_code == 200  # the page saying the signatures keep it
    assert Petition.objects.filter(pk=petition.pk).exists()
    empty = PetitionFactory()
    client.post(reverse("admin:petitions_petition_delete", args=[empty.pk]), {"post": "yes"})
    assert not Petition.objects.filter(pk=empty.pk).exists()


def test_mobilisation_resends_a_confirmation_from_the_admin(
    client, petition, django_capture_on_commit_callbacks
):
    client.force_login(staff("mob", "Mobilisation"))
    ids = list(Signature.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:petitions_signature_changelist"),
            {"action": "resend_confirmation", "_selected_action": ids, "confirm": "yes"},
        )
    assert [m.to for m in mail.outbox] == [["pending@exemple.fr"]]


def test_a_won_petition_tells_the_signers_who_asked_once_in_their_language(
    django_capture_on_commit_callbacks,
):
    from tests.factories import CaseFactory

    case = CaseFactory(name="Ana Libre", slug="ana-libre")
    petition = PetitionFactory(slug="liberez-ana", title_fr="Libérez Ana", title_en="Free Ana")
    now = timezone.now()
    SignatureFactory(
        petition=petition, email="fr@exemple.fr", notify_outcome=True, confirmed_at=now
    )
    SignatureFactory(
        petition=petition,
        email="en@exemple.fr",
        language="en",
        notify_outcome=True,
        confirmed_at=now,
    )
    SignatureFactory(
        petition=petition, email="muet@exemple.fr", notify_outcome=False, confirmed_at=now
    )
    SignatureFactory(petition=petition, email="attente@exemple.fr", notify_outcome=True)

    with django_capture_on_commit_callbacks(execute=True):
        petition_mark_won(petition=petition, case=case)
    with django_capture_on_commit_callbacks(execute=True):
        petition_mark_won(petition=petition)  # marked won twice: nobody hears it twice

    petition.refresh_from_db()
    assert petition.status == Petition.Status.WON
    assert petition.case == case
    by_address = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_address) == ["en@exemple.fr", "fr@exemple.fr"]
    assert by_address["fr@exemple.fr"].subject == "Victoire\u00a0: Libérez Ana"
    assert "http://testserver/victoires/ana-libre/" in by_address["fr@exemple.fr"].body
    assert by_address["en@exemple.fr"].subject == "Victory: Free Ana"
    assert "http://testserver/en/victories/ana-libre/" in by_address["en@exemple.fr"].body
    english_html = by_address["en@exemple.fr"].alternatives[0][0]
    assert '<html lang="en">' in english_html
    assert (
        '<a href="http://testserver/en/victories/ana-libre/" style="display:inline-block;'
        in english_html
    )
    assert ">Read the story of this victory</a>" in english_html
    # Each carries the way to the signer's own space, in their language.
    assert "http://testserver/don/mon-don/" in by_address["fr@exemple.fr"].body
    assert "http://testserver/en/donate/my-gift/" in by_address["en@exemple.fr"].body
    assert Signature.objects.filter(won_notified_at__isnull=False).count() == 2


def test_marking_won_from_the_admin_action_queues_the_news(
    admin_client, django_capture_on_commit_callbacks
):
    petition = PetitionFactory()
    SignatureFactory(petition=petition, notify_outcome=True, confirmed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:petitions_petition_changelist"),
            {"action": "mark_won", "_selected_action": [petition.pk], "confirm": "yes"},
        )
    assert Petition.objects.get().status == "won"
    assert len(mail.outbox) == 1


def test_the_daily_purge_erases_unconfirmed_signatures_older_than_seven_days():
    now = timezone.now()
    old_pending = SignatureFactory()
    recent_pending = SignatureFactory()
    old_confirmed = SignatureFactory(confirmed_at=now - timedelta(days=30))
    Signature.objects.filter(pk__in=[old_pending.pk, old_confirmed.pk]).update(
        created_at=now - timedelta(days=7, minutes=1)
    )
    Signature.objects.filter(pk=recent_pending.pk).update(
        created_at=now - timedelta(days=6, hours=23)
    )
    out = io.StringIO()
    call_command("purge_unconfirmed_signatures", stdout=out)
    assert set(Signature.objects.values_list("pk", flat=True)) == {
        recent_pending.pk,
        old_confirmed.pk,
    }
    assert out.getvalue().strip() == "Signatures non confirmées effacées : 1."


def test_the_demo_loads_twice_without_changing_anything():
    from petitions import demo
    from petitions.models import Appeal

    demo.load(stdout=io.StringIO())
    counts = (Petition.objects.count(), Signature.objects.count(), Appeal.objects.count())
    out = io.StringIO()
    demo.load(stdout=out)
    assert (Petition.objects.count(), Signature.objects.count(), Appeal.objects.count()) == counts
    assert out.getvalue() == ""
    assert Petition.objects.open().get().appeals.get().label == "URGENCE GAZA"
    assert Petition.objects.filter(status="won").count() == 3
    assert (
        get_user_model()
        .objects.get(username="mobilisation")
        .groups.filter(name="Mobilisation")
        .exists()
    )


@pytest.mark.parametrize(
    "name",
    [
        "admin:petitions_petition_changelist",
        "admin:petitions_petition_add",
        "admin:petitions_signature_changelist",
        "admin:petitions_appeal_changelist",
        "admin:petitions_appeal_add",
    ],
)
def test_the_admin_pages_open(admin_client, petition, name):
    assert admin_client.get(reverse(name)).status_code == 200


def test_changing_the_status_to_won_in_the_form_tells_the_signers(
    admin_client, django_capture_on_commit_callbacks
):
    petition = PetitionFactory(slug="ana")
    SignatureFactory(petition=petition, notify_outcome=True, confirmed_at=timezone.now())
    url = reverse("admin:petitions_petition_change", args=[petition.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and key not in ("photo", "case", "closes_at", "confirmed_count")
    }
    data.update(
        status="won",
        opens_at_0=timezone.localtime(petition.opens_at).strftime("%d/%m/%Y"),
        opens_at_1=timezone.localtime(petition.opens_at).strftime("%H:%M:%S"),
    )
    data.pop("opens_at", None)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Petition.objects.get().status == "won"
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "query",
    [
        "?q=%00",
        "?q=ana%00",
        "?country__exact=%00",
        "?language__exact=fr%00",
    ],
)
def test_a_nul_byte_in_the_signature_search_or_filters_is_refused_with_a_400(
    client, petition, query
):
    client.force_login(staff("mob", "Mobilisation"))
    url = reverse("admin:petitions_signature_changelist")
    response = client.get(url + query)
    assert response.status_code == 400
    assert client.get(url).status_code == 200


def test_a_nul_byte_in_the_petition_filters_or_search_is_refused_with_a_400(admin_client, petition):
    url = reverse("admin:petitions_petition_changelist")
    for query in ["?q=%00", "?status__exact=%00"]:
        assert admin_client.get(url + query).status_code == 400
    autocomplete = admin_client.get(
        "/admin/autocomplete/",
        {
            "term": "\x00",
            "app_label": "petitions",
            "model_name": "appeal",
            "field_name": "petition",
        },
    )
    assert autocomplete.status_code == 400


def test_erasing_a_confirmed_signature_takes_it_off_the_count(
    admin_client, petition, django_capture_on_commit_callbacks
):
    from petitions.counts import petition_count

    assert petition_count(petition.pk) == 2
    confirmed = Signature.objects.get(email="eloise@exemple.fr")
    pending = Signature.objects.get(email="pending@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:petitions_signature_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [confirmed.pk, pending.pk],
                "post": "yes",
            },
        )
    assert response.status_code == 302
    assert list(Signature.objects.values_list("email", flat=True)) == ["ana@exemple.fr"]
    assert Petition.objects.get(pk=petition.pk).confirmed_count == 1
    assert petition_count(petition.pk) == 1

    last = Signature.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:petitions_signature_delete", args=[last.pk]), {"post": "yes"}
        )
    assert petition_count(petition.pk) == 0


def test_the_signature_filters_offer_their_state_and_only_the_countries_signers_gave(
    client, petition
):
    SignatureFactory(petition=petition, country="IE", email="irl@exemple.fr")
    client.force_login(staff("mob", "Mobilisation"))
    url = reverse("admin:petitions_signature_changelist")
    response = client.get(url)
    filters = {
        spec.title: [choice["display"] for choice in spec.choices(response.context["cl"])]
        for spec in response.context["cl"].filter_specs
    }
    assert filters["pays"] == ["Tout", "France", "Irlande"]
    assert filters["état"] == ["Tout", "en attente", "confirmée"]
    assert client.get(url + "?etat=pending").context["cl"].result_count == 2
    assert client.get(url + "?etat=confirmed").context["cl"].result_count == 2
    assert client.get(url + "?pays=IE").context["cl"].result_count == 1


def test_a_victory_not_yet_published_is_never_a_dead_link_on_the_page_or_in_the_email(
    client, django_capture_on_commit_callbacks
):
    from tests.factories import CaseFactory

    case = CaseFactory(slug="ana-libre", is_published=False)
    petition = PetitionFactory(slug="liberez-ana")
    SignatureFactory(petition=petition, notify_outcome=True, confirmed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        petition_mark_won(petition=petition, case=case)
    assert "http://testserver/petitions/liberez-ana/" in mail.outbox[0].body
    assert "/victoires/ana-libre/" not in mail.outbox[0].body
    assert "Lire l’histoire" not in client.get("/petitions/liberez-ana/").content.decode()

    case.is_published = True
    case.save()
    page = client.get("/petitions/liberez-ana/").content.decode()
    assert '<a href="/victoires/ana-libre/">Lire l’histoire de cette victoire</a>' in page
