"""Forgiving admin search: accents, case and « ı » ignored, on PostgreSQL and SQLite alike.

Each searchable model keeps a folded copy of what staff search by (``search_text``), made on
save with text-unidecode (which folds « ı », « ø », « ß »… where the databases' own
functions do not). The admin folds the words typed the same way and asks for each of them.
Country names are folded in French and in English, so ``egypte`` finds « Égypte ».

A row changed with ``QuerySet.update()`` keeps its old folded text: call
``search_text_refresh`` on it (personal data erased that way must not stay here).
"""

import functools
import re

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from text_unidecode import unidecode

SPACES = re.compile(r"\s+")


def fold(text) -> str:
    """« Taner Kılıç » -> « taner kilic »; « Égypte » -> « egypte »."""
    return SPACES.sub(" ", unidecode(str(text or "")).lower()).strip()


def country_names(code) -> list[str]:
    """A country's name in every language of the site."""
    if not code:
        return []
    return list(_country_names(str(code)))


@functools.lru_cache(maxsize=512)
def _country_names(code: str) -> tuple[str, ...]:
    # Worked out once per process and code: switching the language twice per saved row
    # was a third of the cost of folding a signature's text (cProfile).
    names = []
    for language in ("fr", "en"):
        with translation.override(language):
            names.append(str(countries.name(code)))
    return tuple(names)


class FoldedSearchModel(models.Model):
    """``search_sources``: the field names folded into ``search_text`` (a field holding a
    country adds its names); set by each model."""

    search_sources: tuple[str, ...] = ()
    search_countries: tuple[str, ...] = ()

    search_text = models.TextField(_("texte de recherche"), blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = self.folded_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def folded_search_text(self) -> str:
        parts = [getattr(self, name, "") for name in self.search_sources]
        for name in self.search_countries:
            parts += country_names(getattr(self, name, ""))
        return fold(" ".join(str(part) for part in parts if part))


def search_text_refresh(queryset) -> int:
    """Fold again the rows of ``queryset`` (after an ``update()``); returns how many."""
    count = 0
    for obj in queryset.iterator():
        text = obj.folded_search_text()
        if text != obj.search_text:
            type(obj).objects.filter(pk=obj.pk).update(search_text=text)
            count += 1
    return count


def folded_filter(queryset, term: str, path: str = "search_text"):
    """Rows whose folded text holds every folded word of ``term``."""
    for word in fold(term.replace("\x00", "")).split():
        queryset = queryset.filter(**{f"{path}__contains": word})
    return queryset


class FoldedSearchAdminMixin:
    """Admin search over the folded text (``folded_search_path``); ``exact_search_fields``
    are also searched as typed (references such as a RUM)."""

    folded_search_path = "search_text"
    exact_search_fields: tuple[str, ...] = ()

    def get_search_results(self, request, queryset, search_term):
        term = search_term.replace("\x00", "").strip()
        if not term:
            return queryset, False
        found = folded_filter(queryset, term, self.folded_search_path)
        if self.exact_search_fields:
            exact = models.Q()
            for name in self.exact_search_fields:
                exact |= models.Q(**{f"{name}__icontains": term})
            found = found | queryset.filter(exact)
        return found, False
