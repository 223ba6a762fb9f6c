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
