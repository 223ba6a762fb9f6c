"""A classified record addressed to one organization, to test the security core the way modules use it."""

from django.db import models
from django.db.models import Q

from kenes.core.models import ClassifiedModel


class Dossier(ClassifiedModel):
    title = models.CharField(max_length=200)
    organization = models.ForeignKey("directory.Organization", null=True, on_delete=models.PROTECT)

    @classmethod
    def need_to_know_q(cls, user):
        if user.is_liaison:
            return Q(organization_id=user.organization_id) if user.organization_id else Q(pk__in=[])
        return Q()

    def __str__(self):
        return self.title

    @staticmethod
    def may_attach(user, dossier) -> bool:
        """The test module's rule: analysts and chairs attach to any dossier they see, liaisons only to theirs."""
        return user.role != "member" and (not user.is_liaison or dossier.organization_id == user.organization_id)


class Unclassified(models.Model):
    """A model that does not declare a classification: the policy must refuse to read it."""

    name = models.CharField(max_length=20)

    def __str__(self):
        return self.name


def import_dossiers(job, data, progress):
    """The test module's import: one dossier per row (title, and a number that must be 0–100)."""
    from django.db import transaction

    from kenes.core import tabular

    table = tabular.read_table(
        data,
        filename=job.filename,
        columns=[tabular.Column("title", ("Title", "Атауы")), tabular.Column("score", ("Score",))],
        max_rows=job.params.get("max_rows"),
    )
    errors = tabular.ImportErrors()
    titles = []
    for index, row in enumerate(table.rows, start=1):
        title = tabular.to_text(row.values["title"], row.number, "title", errors, max_length=200)
        tabular.to_number(row.values["score"], row.number, "score", errors, minimum=0, maximum=100)
        titles.append(title)
        progress(index, len(table.rows))
    errors.raise_if_any()
    with transaction.atomic():
        for title in titles:
            Dossier.objects.create(title=title, classification=10)
    return {"created": len(titles)}
