"""Framework evidence from the voice app's records (see commonground.coalitions.evidence)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scope

from commonground.coalitions import evidence
from commonground.coalitions.models import Coalition
from commonground.voice.models import (
    ChosenPriority,
    Excerpt,
    ListeningSession,
    PriorityBallot,
    Story,
    SurveyWave,
    Training,
)


@evidence.register(reads=("voice",))
def voice_evidence(coalition: Coalition) -> Iterator[evidence.Evidence]:
    slug = coalition.slug
    with scope(coalition=coalition):
        sessions = ListeningSession.objects.filter(coalition=coalition).aggregate(
            n=Count("pk"), reached=Sum("residents_reached")
        )
        session_count, reached = sessions["n"], sessions["reached"] or 0
        excerpts = Excerpt.objects.filter(coalition=coalition).count()
        chosen = ChosenPriority.objects.filter(coalition=coalition).count()
        ballots = PriorityBallot.objects.filter(coalition=coalition).count()
        trainings = Training.objects.filter(coalition=coalition).aggregate(
            n=Count("pk"), community=Sum("community_participants")
        )
        training_count, community_trained = trainings["n"], trainings["community"] or 0
        stories = list(
            Story.objects.filter(coalition=coalition)
            .prefetch_related("consents")
            .only("pk", "is_public")
        )
        waves = SurveyWave.objects.filter(coalition=coalition).count()
    if session_count:
        yield evidence.Evidence(
            item_id="emerging_infra_community_needs",
            summary=ngettext(
                "%(n)d listening session reaching %(reached)d residents, %(excerpts)d excerpts coded",
                "%(n)d listening sessions reaching %(reached)d residents, %(excerpts)d excerpts coded",
                session_count,
            )
            % {"n": session_count, "reached": reached, "excerpts": excerpts},
            url=reverse("voice:sessions", args=[slug]),
            in_place=excerpts > 0,
        )
    if chosen or ballots:
        yield evidence.Evidence(
            item_id="scaling_infra_community_informed_agendas",
            summary=_(
                "%(chosen)d priorities chosen after %(ballots)d anonymous rankings by residents and institutions"
            )
            % {"chosen": chosen, "ballots": ballots},
            url=reverse("voice:priorities", args=[slug]),
            in_place=chosen > 0 and ballots > 0,
        )
    if training_count:
        yield evidence.Evidence(
            item_id="invest_in_capacity_sharing",
            summary=ngettext(
                "%(n)d training or program, %(community)d community members taking part",
                "%(n)d trainings and programs, %(community)d community members taking part",
                training_count,
            )
            % {"n": training_count, "community": community_trained},
            url=reverse("voice:trainings", args=[slug]),
        )
    if stories:
        shared = sum(
            1 for s in stories if s.is_public and all(c.consented for c in s.consents.all())
        )
        for item in ("elevate_narratives_of_success", "scaling_infra_success_stories"):
            yield evidence.Evidence(
                item_id=item,
                summary=_("%(n)d stories of small wins, %(shared)d shared with consent")
                % {"n": len(stories), "shared": shared},
                url=reverse("voice:stories", args=[slug]),
                in_place=shared > 0,
            )
    if waves:
        yield evidence.Evidence(
            item_id="sustaining_infra_feedback_mechanisms",
            summary=ngettext(
                "%(n)d wave of the anonymous collaboration survey",
                "%(n)d waves of the anonymous collaboration survey",
                waves,
            )
            % {"n": waves},
            url=reverse("voice:index", args=[slug]),
            in_place=waves >= 2,
        )
