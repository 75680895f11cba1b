"""The only way a view gets a labeling object it must check permission for. One condition per line."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from shinsa.accounts.access import require_perm
from shinsa.accounts.roles import Perm
from shinsa.labeling.models import LabelingProject, LabelTask
from shinsa.review.models import ItemStatus


def access_task_for_labeler(user: Any, task_id: int) -> LabelTask:
    """A task whose label item ``user`` holds. Everyone else gets 404: labeling is blind, so nobody opens
    an item (and its answers) they are not labeling now."""
    require_perm(user, Perm.REVIEW_ITEMS)
    task = (
        LabelTask.objects.select_related("project", "work_item", "title_version__title")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise Http404("no such task")
    if task.work_item is None:
        raise Http404("no such task")
    if task.work_item.status != ItemStatus.CLAIMED:
        raise Http404("no such task")
    if task.work_item.claimed_by_id != user.pk:
        raise Http404("no such task")
    return task


def access_project_for_manager(user: Any, slug: str) -> LabelingProject:
    """A project's summary (agreement, labelers' accuracy, snapshots) for people who manage datasets."""
    require_perm(user, Perm.MANAGE_DATASETS)
    project = LabelingProject.objects.filter(slug=slug).first()
    if project is None:
        raise Http404("no such project")
    return project
