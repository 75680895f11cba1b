"""Bank management pages for policy owners (Perm.MANAGE_BANKS): list, detail, add, confirm, import, export."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from shinsa.accounts.access import perm_required
from shinsa.accounts.roles import Perm
from shinsa.banks import actions
from shinsa.banks.access import access_bank_for_manager, access_entry_for_manager
from shinsa.banks.actions import BankError
from shinsa.banks.forms import BankForm, EntryForm, ImportForm
from shinsa.banks.index.csvfile import MAX_BYTES, BankCsvError, read_bank_csv
from shinsa.banks.index.matcher import BankKind
from shinsa.banks.matching import index_status
from shinsa.banks.messages import describe_csv_problem
from shinsa.banks.models import Bank, BankEntry
from shinsa.banks.queries import banks_with_counts

ENTRIES_PER_PAGE = 100


@perm_required(Perm.MANAGE_BANKS)
@require_GET
def bank_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, BankForm())


def _list_page(request: HttpRequest, form: BankForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "banks/pages/list.html",
        {"nav": "banks", "banks": banks_with_counts(), "index": index_status(), "form": form},
        status=status,
    )


@perm_required(Perm.MANAGE_BANKS)
@require_POST
def create_bank(request: HttpRequest) -> HttpResponse:
    form = BankForm(request.POST)
    if not form.is_valid():
        return _list_page(request, form, status=422)
    try:
        bank = actions.do_create_bank(actor=request.user, **form.cleaned_data)
    except BankError as error:
        messages.error(request, str(error))
        return _list_page(request, form, status=422)
    messages.success(request, _("Bank created."))
    return redirect("banks:detail", bank_id=bank.pk)


@perm_required(Perm.MANAGE_BANKS)
@require_GET
def bank_detail(request: HttpRequest, bank_id: int) -> HttpResponse:
    bank = access_bank_for_manager(request.user, bank_id)
    return _detail_page(request, bank, EntryForm())


def _detail_page(request: HttpRequest, bank: Bank, form: EntryForm, status: int = 200) -> HttpResponse:
    entries = bank.entries.exclude(status=BankEntry.Status.PENDING).select_related(
        "added_by", "confirmed_by", "removed_by"
    )
    pending = bank.entries.filter(status=BankEntry.Status.PENDING).select_related("added_by")
    return render(
        request,
        "banks/pages/detail.html",
        {
            "nav": "banks",
            "bank": bank,
            "pending": pending,
            "entries": Paginator(entries.order_by("-id"), ENTRIES_PER_PAGE).get_page(request.GET.get("page")),
            "form": form,
            "import_form": ImportForm(),
            "index": index_status(),
            "is_video": bank.kind == BankKind.VIDEO,
        },
        status=status,
    )


@perm_required(Perm.MANAGE_BANKS)
@require_POST
def add_entry(request: HttpRequest, bank_id: int) -> HttpResponse:
    bank = access_bank_for_manager(request.user, bank_id)
    form = EntryForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, bank, form, status=422)
    try:
        actions.do_add_bank_entry(actor=request.user, bank=bank, **form.cleaned_data)
    except BankError as error:
        messages.error(request, str(error))
        return _detail_page(request, bank, form, status=422)
    messages.success(request, _("Entry added. It matches nothing until another person confirms it."))
    return redirect("banks:detail", bank_id=bank.pk)


@perm_required(Perm.MANAGE_BANKS)
@require_POST
def import_entries(request: HttpRequest, bank_id: int) -> HttpResponse:
    bank = access_bank_for_manager(request.user, bank_id)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV file to import."))
        return redirect("banks:detail", bank_id=bank.pk)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_BYTES:
        messages.error(request, _("The file is larger than 64 MB."))
        return redirect("banks:detail", bank_id=bank.pk)
    try:
        rows = read_bank_csv(upload.read(), BankKind(bank.kind))
        summary = actions.do_import_bank_entries(
            actor=request.user, bank=bank, rows=rows, file_name=upload.name
        )
    except BankCsvError as error:
        for problem in error.problems:
            messages.error(request, describe_csv_problem(problem))
        messages.error(request, _("Nothing was imported."))
        return redirect("banks:detail", bank_id=bank.pk)
    except BankError as error:
        messages.error(request, str(error))
        return redirect("banks:detail", bank_id=bank.pk)
    messages.success(
        request,
        ngettext(
            "%(added)d entry imported, pending confirmation (%(skipped)d already in the bank).",
            "%(added)d entries imported, pending confirmation (%(skipped)d already in the bank).",
            summary["added"],
        )
        % {"added": summary["added"], "skipped": summary["already_in_bank"]},
    )
    return redirect("banks:detail", bank_id=bank.pk)


@perm_required(Perm.MANAGE_BANKS)
@require_GET
def export_entries(request: HttpRequest, bank_id: int) -> HttpResponse:
    bank = access_bank_for_manager(request.user, bank_id)
    text = actions.do_export_bank(actor=request.user, bank=bank)
    response = HttpResponse(text.encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bank-{bank.pk}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@perm_required(Perm.MANAGE_BANKS)
@require_POST
def set_enabled(request: HttpRequest, bank_id: int) -> HttpResponse:
    bank = access_bank_for_manager(request.user, bank_id)
    enabled = request.POST.get("enabled") == "1"
    actions.do_update_bank(actor=request.user, bank=bank, enabled=enabled)
    messages.success(request, _("Bank enabled.") if enabled else _("Bank disabled."))
    return redirect("banks:detail", bank_id=bank.pk)


@perm_required(Perm.MANAGE_BANKS)
@require_POST
def confirm_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = access_entry_for_manager(request.user, entry_id)
    try:
        actions.do_confirm_bank_entry(actor=request.user, entry=entry)
    except BankError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Entry confirmed: it is matched from now on."))
    return redirect("banks:detail", bank_id=entry.bank_id)


@perm_required(Perm.MANAGE_BANKS)
@require_POST
def remove_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = access_entry_for_manager(request.user, entry_id)
    try:
        actions.do_remove_bank_entry(actor=request.user, entry=entry, reason=request.POST.get("reason", ""))
    except BankError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Entry removed."))
    return redirect("banks:detail", bank_id=entry.bank_id)
