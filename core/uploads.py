"""A photo chosen with a form that fails validation is kept, and shown again.

Browsers never send a file twice: after a refused save, the editor would have to find the
photo again, and, worse, could save the case without it. So when a bound form has errors
elsewhere while its photo is fine, :class:`KeptUploadsFormMixin` stores the photo, cleaned
of its metadata like every file we keep (``core.images``), under ``uploads/kept/`` with a
random name, and the form carries a signed token naming it. On the next submit without a
new file, the kept photo stands in for the upload. Kept files are removed after a day by
``manage.py purge_kept_uploads`` (one of the ``daily`` commands).
"""

import mimetypes
import secrets
from datetime import timedelta
from pathlib import PurePosixPath

from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core import images

FOLDER = "uploads/kept"
SALT = "core.uploads.kept"
MAX_AGE = timedelta(days=1)
SUFFIX = "_kept"


def upload_keep(upload) -> str:
    """Store an upload cleaned of its metadata under a random name; return that name."""
    upload.seek(0)
    data, image_format = images.original_clean(upload.read())
    upload.seek(0)
    name = f"{FOLDER}/{secrets.token_hex(16)}.{images.EXTENSIONS[image_format]}"
    return default_storage.save(name, ContentFile(data))


def kept_token(name: str, original_name: str) -> str:
    return signing.dumps({"n": name, "o": original_name}, salt=SALT)


def kept_lookup(token: str | None) -> tuple[str, str] | None:
    """The kept file's storage name and the editor's own file name, if the token is ours,
    recent, and the file is still there."""
    if not token:
        return None
    try:
        value = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    name, original = str(value.get("n", "")), str(value.get("o", ""))
    path = PurePosixPath(name)
    if path.parent != PurePosixPath(FOLDER) or ".." in path.parts:
        return None
    if not default_storage.exists(name):
        return None
    return name, PurePosixPath(original).name or path.name


class KeptFileWidget(AdminFileWidget):
    """The admin's file input, plus the photo kept from a refused save."""

    kept: dict | None = None

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not self.kept:
            return html
        return html + format_html(
            '<input type="hidden" name="{}" value="{}"><p class="kept-upload">{}</p>',
            name + SUFFIX,
            self.kept["token"],
            _(
                "Photo reçue et gardée : %(name)s. Inutile de la choisir à nouveau : "
                "corrigez les erreurs signalées puis enregistrez. Pour la remplacer, "
                "choisissez une autre photo."
            )
            % {"name": self.kept["name"]},
        )

    def value_omitted_from_data(self, data, files, name):
        return super().value_omitted_from_data(data, files, name) and (name + SUFFIX) not in data


class KeptUploadsFormMixin:
    """On a ``ModelForm``: its image fields keep their upload across a failed save."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept = {}
        for name, field in self._image_fields():
            field.widget = KeptFileWidget(attrs=field.widget.attrs)
            if not self.is_bound:
                continue
            key = self.add_prefix(name)
            if self.files.get(key) or self.data.get(f"{key}-clear"):
                continue  # a new photo, or « Effacer », wins over the kept one
            found = kept_lookup(self.data.get(key + SUFFIX))
            if found is None:
                continue
            storage_name, original = found
            with default_storage.open(storage_name, "rb") as kept:
                content = kept.read()
            content_type = mimetypes.guess_type(storage_name)[0] or "application/octet-stream"
            self.files = self.files.copy()
            self.files[key] = SimpleUploadedFile(original, content, content_type=content_type)
            self.kept[name] = (storage_name, original)

    def _image_fields(self):
        return [(n, f) for n, f in self.fields.items() if isinstance(f, forms.ImageField)]

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self._errors:
            self.keep_uploads()

    def keep_uploads(self):
        """Keep the form's accepted new photos: its save failed (here, or in a formset)."""
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return
        for name, field in self._image_fields():
            value = self.cleaned_data.get(name)
            if name in self._errors or not isinstance(value, UploadedFile):
                continue  # a refused photo is not kept: its message says why
            if name in self.kept:
                storage_name, original = self.kept[name]
            else:
                storage_name, original = upload_keep(value), PurePosixPath(value.name).name
                self.kept[name] = (storage_name, original)
            field.widget.kept = {
                "token": kept_token(storage_name, original),
                "name": original,
                "url": default_storage.url(storage_name),
            }
            # The form's preview (« Aperçu ») shows the kept photo, never a broken image.
            setattr(self.instance, name, storage_name)


def kept_uploads_purge(now=None) -> int:
    """Delete kept uploads older than :data:`MAX_AGE`; return how many."""
    now = now or timezone.now()
    try:
        _folders, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    removed = 0
    for file_name in files:
        name = f"{FOLDER}/{file_name}"
        if default_storage.get_modified_time(name) < now - MAX_AGE:
            default_storage.delete(name)
            removed += 1
    return removed
