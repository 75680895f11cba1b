"""Background work of the ratings app (Django tasks, run by ``shinsa worker``)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.tasks import task

from shinsa.catalog.models import AssetKind, AssetVersion
from shinsa.media.errors import MediaError
from shinsa.ratings.actions import do_suggest_finding
from shinsa.ratings.active import active_rating_policies
from shinsa.ratings.models import Assessment, Finding
from shinsa.ratings.suggestions import descriptors_for_terms, suggestions_from_hits
from shinsa.screening.context import policy_signal_context
from shinsa.screening.signals.screening import UnknownFileKind, screen_file
from shinsa.screening.subtitles import SubtitleError

SCREENING_ACTOR = "screening"


@task()
def suggest_findings_from_subtitles(assessment_id: int) -> int:
    """Screen the cut's latest subtitle files and offer their lexicon hits as suggested findings.

    Idempotent: a suggestion already on the assessment (same descriptor and time range) is not offered
    again, so a retried run adds nothing. Returns how many suggestions it added.
    """
    assessment = Assessment.objects.select_related("title_version").get(pk=assessment_id)
    if assessment.status == Assessment.Status.APPROVED:
        return 0
    context = policy_signal_context()
    vocabulary = active_rating_policies().vocabulary
    lexicons = context.lexicons.by_language.values() if context.lexicons is not None else ()
    descriptor_for_term = descriptors_for_terms(term for lexicon in lexicons for term in lexicon.terms)
    existing = set(
        Finding.objects.filter(assessment=assessment).values_list("descriptor", "start_ms", "end_ms")
    )
    added = 0
    for version in _latest_subtitle_versions(assessment):
        try:
            result = screen_file(default_storage.path(version.file.name), context)
        except (FileNotFoundError, MediaError, SubtitleError, UnknownFileKind):
            continue  # a missing or unreadable file is the fingerprint task's to report, not ours
        for suggestion in suggestions_from_hits(result.hits, vocabulary, descriptor_for_term):
            key = (suggestion.descriptor, suggestion.start_ms, suggestion.end_ms)
            if key in existing:
                continue
            do_suggest_finding(
                actor=SCREENING_ACTOR,
                assessment=assessment,
                signal=suggestion.signal,
                descriptor=suggestion.descriptor,
                intensity=suggestion.intensity,
                start_ms=suggestion.start_ms,
                end_ms=suggestion.end_ms,
            )
            existing.add(key)
            added += 1
    return added


def _latest_subtitle_versions(assessment: Assessment) -> list[AssetVersion]:
    latest = []
    for asset in assessment.title_version.assets.filter(kind=AssetKind.SUBTITLE).order_by("language", "name"):
        version = asset.versions.order_by("-number").first()
        if version is not None and version.file.name:
            latest.append(version)
    return latest
