"""What the whole admin shares."""

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core import images
from core.uploads import KeptUploadsFormMixin


@admin.action(permissions=["delete"], description=_("Supprimer la sélection"))
def delete_selection(modeladmin, request, queryset):
    """Django's bulk delete (confirmation page included), under a French label that
    agrees with every model: « Supprimer les victoires sélectionnés » was wrong."""
    return delete_selected(modeladmin, request, queryset)


admin.site.add_action(delete_selection, "delete_selected")


@dataclass(frozen=True)
class AdminNames:
    """How the admin speaks of one kind of thing, in whole French sentences (gender,
    elision and agreement are the translator's, not a template's).

    ``saved`` and ``deleted`` take ``%(obj)s``, the thing's name.
    """

    plural: str
    add: str
    change: str
    view: str
    saved: str
    deleted: str


class AdminNamesMixin:
    """Titles, the add button and the messages after add, change and delete, from
    ``names`` (« La victoire « Taner Kılıç » est enregistrée. », « Ajouter un appel urgent »)
    instead of Django's « L'objet victoire … a été ajouté »."""

    names: AdminNames | None = None

    def changelist_view(self, request, extra_context=None):
        if self.names is not None:
            extra_context = {
                "title": self.names.plural,
                "add_label": self.names.add,
                **(extra_context or {}),
            }
        return super().changelist_view(request, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        if self.names is not None:
            extra_context = {"title": self.names.add, **(extra_context or {})}
        return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if self.names is not None:
            title = self.names.change if self.has_change_permission(request) else self.names.view
            extra_context = {"title": title, **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        request._admin_names_message = ("saved", str(obj))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        request._admin_names_message = ("saved", str(obj))
        return super().response_change(request, obj)

    def response_delete(self, request, obj_display, obj_id):
        request._admin_names_message = ("deleted", str(obj_display))
        return super().response_delete(request, obj_display, obj_id)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        pending = getattr(request, "_admin_names_message", None)
        if pending is not None and self.names is not None and level == messages.SUCCESS:
            kind, name = pending
            message = getattr(self.names, kind) % {"obj": name}
            request._admin_names_message = None
        return super().message_user(request, message, level, *args, **kwargs)


class ReadOnlyAdminMixin:
    """Rows kept as they were made (receipts, bank files, journals, a mandate's history):
    shown, never changed nor deleted through the admin. Works on a ``ModelAdmin`` and on an
    inline. Adding is refused too, unless ``can_add`` is set where a page of the admin's own
    makes the rows (a new bank file)."""

    can_add = False
    can_delete = False  # an inline's « supprimer » box

    def has_add_permission(self, request, *args):
        return self.can_add and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LanguageSwitchMixin:
    """One switch at the top of a translated form shows the French or the English fields,
    instead of one tab per field; without JavaScript both languages show, one under the
    other. English fields left empty while the French is written are marked « à traduire ».

    Put it before modeltranslation's ``TranslationAdmin``.
    """

    @property
    def media(self):
        return super().media + forms.Media(
            css={"all": ["css/admin-languages.css"]}, js=["js/admin-languages.js"]
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {"language_switch": True, **(extra_context or {})}
        return super().changeform_view(request, object_id, form_url, extra_context)


class PhotoAdminMixin:
    """Forms with photos: an upload survives a failed save (``core.uploads``), and the
    preview shows the focal point and the crops that keep it (:func:`photo_focal_preview`),
    clickable with JavaScript (``static/js/admin-focal.js``)."""

    def get_form(self, request, obj=None, **kwargs):
        form = kwargs.get("form") or self.form
        if not issubclass(form, KeptUploadsFormMixin):
            kwargs["form"] = type(form.__name__, (KeptUploadsFormMixin, form), {})
        return super().get_form(request, obj, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # A form shown again after a POST was not saved, even when the refusal came from an
        # inline (a figure, an outcome): its new photo is kept all the same.
        adminform = context.get("adminform")
        if request.method == "POST" and adminform is not None:
            adminform.form.keep_uploads()
        return super().render_change_form(request, context, add, change, form_url, obj)

    @property
    def media(self):
        return super().media + forms.Media(
            css={"all": ["css/admin-photos.css"]}, js=["js/admin-focal.js"]
        )


def photo_focal_preview(obj, field_name: str, alt_field: str, width: int = 320):
    """The photo with its focal point and its crops drawn over it (an SVG of presentation
    attributes only), or a sentence when there is none yet."""
    field = obj._meta.get_field(field_name) if obj is not None else None
    file = getattr(obj, field.attname) if field is not None else None
    photo_width = getattr(obj, field.width_field, None) if field is not None else None
    photo_height = getattr(obj, field.height_field, None) if field is not None else None
    if not file or not photo_width or not photo_height:
        return _("Aucune photo pour l'instant.")
    spec = field.renditions
    x, y = spec.focal_point(obj)
    crops = format_html_join(
        "",
        '<rect class="focal-picker__crop" data-ratio="{} {}" x="{}" y="{}" width="{}" '
        'height="{}" fill="none" stroke="#ffd400" stroke-width="3" '
        'vector-effect="non-scaling-stroke"></rect>',
        (
            (ratio[0], ratio[1], left, top, right - left, bottom - top)
            for _name, ratio in spec.crops
            for left, top, right, bottom in [
                images.crop_box(photo_width, photo_height, ratio, x, y)
            ]
        ),
    )
    radius = max(6, round(photo_width / 40))
    return format_html(
        '<div class="focal-picker" data-focal-x="id_{fx}" data-focal-y="id_{fy}">'
        '<img src="{url}" width="{w}" height="{h}" alt="{alt}">'
        '<svg viewBox="0 0 {pw} {ph}" aria-hidden="true" focusable="false">{crops}'
        '<circle class="focal-picker__point" cx="{cx}" cy="{cy}" r="{r}" fill="none" '
        'stroke="#111" stroke-width="6" vector-effect="non-scaling-stroke"></circle>'
        '<circle class="focal-picker__point" cx="{cx}" cy="{cy}" r="{r}" fill="none" '
        'stroke="#fff" stroke-width="3" vector-effect="non-scaling-stroke"></circle></svg>'
        "</div>"
        '<p class="focal-picker__legend">{legend}</p>'
        '<p class="focal-picker__legend focal-picker__hint" hidden>{hint}</p>',
        fx=spec.focal[0],
        fy=spec.focal[1],
        url=file.url,
        alt=getattr(obj, alt_field, ""),
        w=width,
        h=round(width * photo_height / photo_width),
        pw=photo_width,
        ph=photo_height,
        crops=crops,
        cx=round(x * photo_width),
        cy=round(y * photo_height),
        r=radius,
        legend=_(
            "Le rond marque le point à garder ; les cadres jaunes, ce que montrent les "
            "photos recadrées."
        ),
        hint=_("Cliquez sur la photo pour y placer le point à garder."),
    )


def _unregister_security_tables():
    """django-axes' and django-otp's own admin pages stay out of the admin: the OTP pages
    show each device's secret and each recovery code. Unlocking an account and resetting a
    lost phone are commands (docs/security.md): ``axes_reset_username`` and
    ``second_factor_reset``."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (AccessAttempt, AccessFailureLog, AccessLog, StaticDevice, TOTPDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_unregister_security_tables()

from core import admin_privacy  # noqa: E402, F401 (the journal and the request page)
