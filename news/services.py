"""Newsroom services: setting up the newsroom after every migrate (the news index, editors'
and moderators' page permissions, the moderation workflow). Stories themselves change through
Wagtail's own page actions (edit, submit, approve, publish), which keep their revisions and
history; every read is in :mod:`news.queries`."""

from django.db import transaction

from news.errors import NewsError
from news.models import NewsIndexPage

# --- newsroom setup ---------------------------------------------------------------------------------------

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
MODERATOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
WORKFLOW_NAME = "新闻审核"
TASK_NAME = "审核员审核"


@transaction.atomic
def ensure_newsroom(using="default"):
    """Idempotent: a news index under the home page, editors limited to it, and the moderation
    workflow (Editors submit, Moderators approve) assigned to it. Run after every migrate."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import (
        GroupApprovalTask,
        GroupPagePermission,
        Workflow,
        WorkflowPage,
        WorkflowTask,
    )

    from home.models import HomePage

    index = NewsIndexPage.objects.using(using).order_by("path").first()
    if index is None:
        home = HomePage.objects.using(using).order_by("path").first()
        if home is None:
            return None
        index = home.add_child(instance=NewsIndexPage(title="新闻", slug="news",
                                                       intro="<p>街道和社区的新鲜事。</p>"))
        index.save_revision().publish()

    editors = Group.objects.using(using).filter(name="Editors").first()
    moderators = Group.objects.using(using).filter(name="Moderators").first()
    page_perms = {p.codename: p for p in Permission.objects.using(using).filter(
        content_type__app_label="wagtailcore", codename__in=MODERATOR_PAGE_PERMISSIONS)}
    if editors is not None:
        # Wagtail's initial data lets Editors edit the whole tree (the root page); the newsroom
        # is theirs. Only that grant goes: this runs on every deploy, and a permission an
        # admin gave Editors since (Settings -> Groups) must survive it.
        GroupPagePermission.objects.using(using).filter(group=editors, page__depth=1).delete()
        for codename in EDITOR_PAGE_PERMISSIONS:
            if codename in page_perms:
                GroupPagePermission.objects.using(using).get_or_create(
                    group=editors, page=index, permission=page_perms[codename])
    if moderators is not None:
        # Likewise Wagtail's initial data lets Moderators add, edit and publish anywhere in the
        # tree (programs, the home page); they moderate the newsroom. Only that root grant goes.
        GroupPagePermission.objects.using(using).filter(group=moderators, page__depth=1).delete()
        for codename in MODERATOR_PAGE_PERMISSIONS:
            if codename in page_perms:
                GroupPagePermission.objects.using(using).get_or_create(
                    group=moderators, page=index, permission=page_perms[codename])

        workflow = Workflow.objects.using(using).filter(name=WORKFLOW_NAME).first()
        if workflow is None:
            workflow = Workflow.objects.using(using).create(name=WORKFLOW_NAME, active=True)
            task = GroupApprovalTask.objects.using(using).create(name=TASK_NAME, active=True)
            task.groups.set([moderators])
            WorkflowTask.objects.using(using).create(workflow=workflow, task=task, sort_order=0)
        # get_or_create: a workflow an admin assigned to the newsroom since stays.
        WorkflowPage.objects.using(using).get_or_create(page=index, defaults={"workflow": workflow})
    return index



__all__ = ["NewsError", "ensure_newsroom"]


def delete_expired_previews() -> int:
    """Delete headless previews past their lifetime (a draft's content stays readable through
    its token only for ``NewsPreview.LIFETIME``). Returns how many were deleted."""
    from django.utils import timezone

    from news.models import NewsPreview

    deleted, _ = NewsPreview.objects.filter(created_at__lt=timezone.now() - NewsPreview.LIFETIME).delete()
    return deleted
