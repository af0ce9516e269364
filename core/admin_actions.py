"""Bulk actions that say what they will do, and to how many rows, before doing it.

``@confirmed_action(...)`` replaces ``@admin.action`` on an action that changes data: the
first POST from the list shows a page (like Django's delete confirmation) with the question
(« Publier 3 victoires ? »), what will happen, the rows concerned and, when the action needs
one, a small form (a reason, the bank's answer); only the page's own button runs the action.
The page keeps the list's selection (and « tout sélectionner » with the list's filters)
in hidden fields, so the action gets the same rows it was asked for.

An action that changes nothing (an export) keeps ``@admin.action``.
"""

import functools
from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

CONFIRM = "confirm"  # the name of the confirmation page's button
SHOWN_ROWS = 50  # rows listed on the page; the count is always the whole selection


def confirmed_action(
    *,
    description,
    permissions,
    title,
    explanation,
    button,
    form_class=None,
    affected: Callable | None = None,
    describe: Callable | None = None,
    nothing=None,
):
    """An admin action that asks first.

    - ``title`` and ``button``: ``ngettext_lazy(singular, plural, "count")`` with
      ``%(count)d``, so the words agree with the number of rows (« Annuler 1 mandat ? »).
    - ``explanation``: what the action does, in a sentence or two.
    - ``form_class``: a form shown on the page; its ``cleaned_data`` is given to the action
      as its fourth argument.
    - ``affected``: ``queryset -> queryset``, the selected rows the action will really
      change (pending signatures only, say); the others are counted as left as they are and
      the action receives only these. With none affected, ``nothing`` is said and nothing
      is done.
    - ``describe``: ``row -> str`` for the list of rows (``str(row)`` by default).
    """

    def decorator(func):
        @admin.action(description=description, permissions=permissions)
        @functools.wraps(func)
        def action(modeladmin, request, queryset):
            rows = affected(queryset) if affected is not None else queryset
            count = rows.count()
            if count == 0 and nothing is not None:
                modeladmin.message_user(request, nothing, messages.WARNING)
                return None
            confirming = CONFIRM in request.POST
            form = None
            if form_class is not None:
                form = form_class(request.POST if confirming else None)
            if confirming and (form is None or form.is_valid()):
                if form is not None:
                    return func(modeladmin, request, rows, form.cleaned_data)
                return func(modeladmin, request, rows)
            return _confirmation_page(
                modeladmin,
                request,
                rows=rows,
                count=count,
                left=queryset.count() - count if affected is not None else 0,
                title=title % {"count": count},
                explanation=explanation,
                button=button % {"count": count},
                form=form,
                describe=describe or str,
            )

        action.confirmed = True
        return action

    return decorator


def _confirmation_page(
    modeladmin, request, *, rows, count, left, title, explanation, button, form, describe
):
    opts = modeladmin.model._meta
    shown = [describe(row) for row in rows[:SHOWN_ROWS]]
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": opts,
        "title": title,
        "explanation": explanation,
        "button": button,
        "form": form,
        "rows": shown,
        "more": count - len(shown),
        "left": left,
        "action": request.POST.get("action", ""),
        "select_across": request.POST.get("select_across") == "1",
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "confirm_name": CONFIRM,
        "changelist_url": request.get_full_path(),
    }
    return TemplateResponse(request, "admin/action_confirmation.html", context)
