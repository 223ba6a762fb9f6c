"""Search in Kazakh, Russian and English with word forms, through the visibility policy, on SQLite and
PostgreSQL alike; translated titles shown in the reader's language."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from kenes.core import context, search, wordforms
from kenes.core.classification import Classification
from kenes.core.models import AuditEvent, SearchEntry
from kenes.threats import services
from kenes.threats.models import Threat

TRANSLATED = {
    # title as entered: (Kazakh, Russian)
    "Spring floods": ("Көктемгі су тасқыны", "Весенний паводок"),
    "River floods in the north": ("Солтүстіктегі өзендердің тасқындары", "Паводки на реках севера"),
    "Damage of the flood season": ("Тасқынның салдарынан болған залал", "Ущерб от паводков"),
    "Steppe fires": ("Дала өрттері", "Степные пожары"),
}


def _threat(users, orgs, title, level=Classification.OFFICIAL, owner="mia"):
    threat = services.create_threat(
        actor=users["analyst"],
        title=title,
        domain="ecological",
        scope="internal",
        likelihood=3,
        impact=3,
        owner=orgs[owner],
        classification=level,
    )
    if title in TRANSLATED:
        kk, ru = TRANSLATED[title]
        threat = services.translate(threat, {"kk": {"title": kk}, "ru": {"title": ru}}, actor=users["analyst"])
    return threat


@pytest.fixture
def register(users, orgs):
    return {title: _threat(users, orgs, title) for title in TRANSLATED}


def _found(user, query):
    return {hit.title for hit in search.search(user, query, limit=100)[1] if hit.type == "threat"}


FLOODS = {"Spring floods", "River floods in the north", "Damage of the flood season"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("паводки", FLOODS),  # Russian: plural finds the singular "паводок" and "паводков"
        ("паводок", FLOODS),
        ("тасқын", FLOODS),  # Kazakh: the stem, its genitive, its plural with possessive
        ("тасқынның", FLOODS),
        ("тасқындары", FLOODS),
        ("floods", FLOODS),  # English: plural and singular
        ("flood", FLOODS),
        ("пожары", {"Steppe fires"}),
        ("өрттер", {"Steppe fires"}),
        ("fire", {"Steppe fires"}),
        ("паводки севера", {"River floods in the north"}),  # every word must be found
        ("солтүстіктегі тасқын", {"River floods in the north"}),
        ("snowstorm", set()),
    ],
)
def test_search_finds_word_forms_in_every_language(register, users, query, expected):
    """Pinned: the same results on SQLite (key containment) and PostgreSQL (full-text search)."""
    assert _found(users["analyst"], query) == expected


def test_a_reader_below_the_level_finds_nothing_of_it_not_even_a_count(users, orgs):
    _threat(users, orgs, "Spring floods", level=Classification.SECRET)
    liaison = users["liaison"]  # of the owner body, cleared for official only
    assert search.search(liaison, "паводки") == (0, [])
    assert search.search_by_type(liaison, "тасқындары") == []
    assert search.search(users["analyst"], "паводки")[0] == 1


def test_a_reader_outside_the_owner_body_finds_nothing(users, orgs):
    _threat(users, orgs, "Spring floods", owner="akimat")
    assert search.search(users["liaison"], "floods") == (0, [])
    assert search.search(users["liaison_almaty"], "floods")[0] == 1


def test_the_search_page_hides_what_the_reader_may_not_open(client, users, orgs):
    _threat(users, orgs, "Spring floods", level=Classification.SECRET)
    client.force_login(users["liaison"])
    html = client.get("/search/", {"q": "паводки"}, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "паводок" not in html.lower() and "Spring floods" not in html
    assert 'id="results-threat"' not in html


def test_results_are_grouped_by_type_with_their_counts(client, register, users):
    client.force_login(users["analyst"])
    response = client.get("/search/", {"q": "floods"})
    groups = response.context["groups"]
    assert [(group.type, group.count) for group in groups] == [("threat", 3)]
    html = response.content.decode()
    assert 'id="results-threat"' in html and "(3)" in html


def test_paging_spreads_the_results_over_the_groups(users, orgs):
    for n in range(5):
        _threat(users, orgs, f"Flood number {n}")
    first = search.search_by_type(users["analyst"], "floods", limit=3, offset=0)
    second = search.search_by_type(users["analyst"], "floods", limit=3, offset=3)
    assert [g.count for g in first] == [5] and len(first[0].hits) == 3
    assert len(second[0].hits) == 2
    assert {h.id for h in first[0].hits} | {h.id for h in second[0].hits} == set(
        Threat.objects.values_list("pk", flat=True)
    )


def test_the_search_page_costs_the_same_for_many_results(client, users, orgs):
    client.force_login(users["analyst"])
    _threat(users, orgs, "Flood one")
    client.get("/search/", {"q": "flood"})
    with CaptureQueriesContext(connection) as few:
        assert client.get("/search/", {"q": "flood"}).status_code == 200
    for n in range(8):
        _threat(users, orgs, f"Flood more {n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/search/", {"q": "flood"}).status_code == 200
    assert len(many) == len(few)


@pytest.mark.parametrize(
    "query",
    ['"><script>alert(1)</script> паводок', "паводок " * 2000, "!!! ??? ... ---", "%_%", "\x00", "'; DROP TABLE x; --"],
)
def test_hostile_queries_are_answered(client, register, users, query):
    client.force_login(users["analyst"])
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()


def test_the_api_keeps_the_title_as_entered(api, register, users):
    response = api(users["analyst"]).get("/api/v1/search", {"q": "паводки"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert {item["title"] for item in response.json()["items"]} == FLOODS


def test_translated_titles_are_shown_in_the_readers_language_else_as_entered(client, users, orgs):
    threat = _threat(users, orgs, "Spring floods")
    only_kazakh = _threat(users, orgs, "Heat waves")
    only_kazakh = services.translate(only_kazakh, {"kk": {"title": "Аптап ыстық"}}, actor=users["analyst"])
    client.force_login(users["analyst"])
    cases = [("kk", "Көктемгі су тасқыны", "Аптап ыстық"), ("ru", "Весенний паводок", "Heat waves")]
    for language, title, other in cases:
        client.cookies["django_language"] = language
        html = client.get(f"/threats/{threat.pk}/").content.decode()
        assert f"<h1>{title}" in html
        assert title in client.get("/threats/").content.decode()
        assert f"<h1>{other}" in client.get(f"/threats/{only_kazakh.pk}/").content.decode()
    client.cookies["django_language"] = "en"
    assert "<h1>Spring floods" in client.get(f"/threats/{threat.pk}/").content.decode()
    with translation.override("ru"):
        assert threat.translated() == "Весенний паводок" and only_kazakh.translated() == "Heat waves"


def test_translations_are_audited_checked_and_kept_to_the_editors(users, orgs):
    threat = _threat(users, orgs, "Spring floods")
    event = AuditEvent.objects.filter(operation="translate").latest("seq")
    assert event.object_id == str(threat.pk) and "translations" in event.changes
    with pytest.raises(ValidationError) as error:
        services.translate(threat, {"de": {"title": "Frühjahrshochwasser"}}, actor=users["analyst"])
    assert "translations" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.translate(threat, {"ru": {"title": "x" * 301}}, actor=users["analyst"])
    with pytest.raises(PermissionDenied):
        services.translate(threat, {"ru": {"title": "Паводок"}}, actor=users["liaison"])


def test_the_index_follows_saves_and_deletes_and_can_be_rebuilt(users, orgs):
    threat = _threat(users, orgs, "Spring floods")
    assert SearchEntry.objects.filter(object_id=threat.pk).exists()
    SearchEntry.objects.all().delete()
    assert _found(users["analyst"], "паводки") == set()
    assert search.rebuild() >= 1
    assert _found(users["analyst"], "паводки") == {"Spring floods"}
    threat.assessments.all().delete()
    with context.acting_as(users["analyst"]):
        threat.delete()
    assert not SearchEntry.objects.filter(object_id=threat.pk, content_type__model="threat").exists()


def test_a_save_rewrites_the_keys_only_when_something_searched_changed(users, orgs):
    """A status-like change (the trend) writes no search keys; an edit of the title does, and search
    then finds the new words."""
    from django.db import transaction

    threat = _threat(users, orgs, "Steppe fires")
    with transaction.atomic(), context.acting_as(users["analyst"]):
        loaded = Threat.objects.select_for_update().get(pk=threat.pk)  # as a service loads what it changes
        loaded.trend = "rising"
        with CaptureQueriesContext(connection) as queries:
            loaded.save()
        assert not any("core_searchentry" in q["sql"] for q in queries.captured_queries)
        loaded.title = "Steppe floods"
        with CaptureQueriesContext(connection) as queries:
            loaded.save()
        assert any("core_searchentry" in q["sql"] for q in queries.captured_queries)
    assert "Steppe floods" in _found(users["analyst"], "flood")


def test_a_migrate_that_applied_something_fills_an_empty_index(users, orgs):
    """A database upgraded to the version with the index finds its old records without a manual rebuild."""
    _threat(users, orgs, "Spring floods")
    SearchEntry.objects.all().delete()
    search.fill_after_migrate(None, plan=[])  # nothing migrated: nothing done
    assert not SearchEntry.objects.exists()
    search.fill_after_migrate(None, plan=[("core.0009_h5_search_entry", False)])
    assert _found(users["analyst"], "паводки") == {"Spring floods"}


def test_list_filters_find_translations_and_word_forms(client, register, users):
    client.force_login(users["analyst"])
    html = client.get("/threats/", {"q": "паводки"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Spring floods" in html and "Steppe fires" not in html


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("паводки", "паводок"),
        ("паводков", "паводок"),
        ("тасқынның", "тасқын"),
        ("тасқындары", "тасқын"),
        ("тасқыны", "тасқын"),
        ("тасқынына", "тасқын"),
        ("отырысы", "отырыс"),
        ("қаласы", "қала"),
        ("киберқауіпсіздігі", "киберқауіпсіздік"),
        ("шешімдері", "шешім"),
        ("floods", "flood"),
        ("Ёлки", "елка"),
    ],
)
def test_word_forms(word, key):
    assert key in wordforms.keys_of(word)


def test_unrelated_words_do_not_share_keys():
    assert not wordforms.keys_of("тасқын") & wordforms.keys_of("тас")
    assert not wordforms.keys_of("паводок") & wordforms.keys_of("пожар")
    assert wordforms.document_keys("!!! ...") == ""


def test_each_database_answers_by_its_own_path(register):
    """PostgreSQL: the query's expression is the GIN index's, so the planner may use it (on this small
    table it prefers the content type's, so the test asks about the full-text condition alone).
    SQLite: the same keys by containment, no full-text function."""
    entries = search.having_keys(SearchEntry.objects.all(), search.keys_of_query("паводки")).values("object_id")
    sql, params = entries.query.sql_with_params()
    if connection.vendor != "postgresql":
        assert "to_tsvector" not in sql and "LIKE" in sql.upper()
        assert {row["object_id"] for row in entries}, "the containment path finds the flood threat"
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "core_search_entry_fts" in plan
