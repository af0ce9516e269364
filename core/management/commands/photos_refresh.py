"""Bring photos stored before the cleaning and the renditions up to date: run once after
deploying them (and after bumping ``core.photos.VERSION``).

Every stored original is cleaned in place (upright, no metadata; its size recorded again),
and the renditions each photo lacks are queued, or made here with ``--now``.
"""

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand

from core import images
from core.photos import CleanImageField, photo_renditions_make, renditions_wanted
from core.tasks import enqueue_on_commit


class Command(BaseCommand):
    help = (
        "Nettoie les photos déjà enregistrées (métadonnées, orientation) et fait leurs "
        "déclinaisons manquantes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Faire les déclinaisons ici, sans la file."
        )

    def handle(self, *args, now=False, **options):
        cleaned = queued = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, CleanImageField)]
            for field in fields:
                for instance in model._default_manager.exclude(**{field.attname: ""}).iterator():
                    file = getattr(instance, field.attname)
                    if not file or not file.storage.exists(file.name):
                        continue
                    cleaned += self._clean_in_place(model, instance, field, file)
                    if field.renditions is not None and renditions_wanted(instance, field):
                        args = (model._meta.label, instance.pk, field.name)
                        if now:
                            photo_renditions_make.call(*args)
                        else:
                            enqueue_on_commit(photo_renditions_make, *args)
                        queued += 1
        self.stdout.write(f"originals cleaned: {cleaned}; renditions to make: {queued}")

    def _clean_in_place(self, model, instance, field, file) -> int:
        with file.open("rb") as source:
            original = source.read()
        if images.is_clean(original):
            return 0
        data, _format = images.original_clean(original)
        file.storage.delete(file.name)
        file.storage.save(file.name, ContentFile(data))
        size = images.image_open(data).size
        updates = {}
        if field.width_field:
            updates[field.width_field] = size[0]
        if field.height_field:
            updates[field.height_field] = size[1]
        if updates:
            model._default_manager.filter(pk=instance.pk).update(**updates)
        return 1
