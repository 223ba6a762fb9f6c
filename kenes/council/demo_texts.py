"""The demo's sessions and decisions in Kazakh and Russian as well as English (``kenes.core.translated``),
given through the council's ``translate`` service, so every page of the demo reads naturally in each
language. Safe to run again: a record that has its translations is left as it is."""

from __future__ import annotations

from typing import Any

from kenes.accounts.models import User
from kenes.core import translated
from kenes.council import services
from kenes.council.demo import load_demo as load_records
from kenes.council.models import Decision, Meeting

SESSIONS = {
    "Session on the results of 2025 in national security": (
        "Ұлттық қауіпсіздік саласындағы 2025 жылдың қорытындылары жөніндегі отырыс",
        "Заседание по итогам 2025 года в сфере национальной безопасности",
    ),
    "Session on public order and the fight against crime": (
        "Қоғамдық тәртіп және қылмысқа қарсы күрес жөніндегі отырыс",
        "Заседание по вопросам общественного порядка и борьбы с преступностью",
    ),
    "Extraordinary session on the flood situation": (
        "Су тасқыны жағдайы жөніндегі кезектен тыс отырыс",
        "Внеочередное заседание по обстановке, связанной с паводком",
    ),
    "Session on the implementation of the National Security Strategy": (
        "Ұлттық қауіпсіздік стратегиясының іске асырылуы жөніндегі отырыс",
        "Заседание о ходе реализации Стратегии национальной безопасности",
    ),
    "Session on cyber security of critical infrastructure": (
        "Аса маңызды инфрақұрылымның киберқауіпсіздігі жөніндегі отырыс",
        "Заседание по кибербезопасности критически важной инфраструктуры",
    ),
    "Session on candidates and personnel": (
        "Кандидатуралар және кадр мәселелері жөніндегі отырыс",
        "Заседание по кандидатурам и кадровым вопросам",
    ),
    "Session on the results of the year": (
        "Жыл қорытындылары жөніндегі отырыс",
        "Заседание по итогам года",
    ),
}

DECISIONS = {
    "On the Government's annual report for 2025": (
        "Үкіметтің 2025 жылғы жыл сайынғы баяндамасы туралы",
        "О ежегодном докладе Правительства за 2025 год",
    ),
    "On approving the work plan for 2026": (
        "2026 жылға арналған жұмыс жоспарын бекіту туралы",
        "Об утверждении плана работы на 2026 год",
    ),
    "On strengthening public order in the cities of republican significance": (
        "Республикалық маңызы бар қалаларда қоғамдық тәртіпті нығайту туралы",
        "Об укреплении общественного порядка в городах республиканского значения",
    ),
    "On measures against internet fraud": (
        "Интернет-алаяқтыққа қарсы шаралар туралы",
        "О мерах противодействия интернет-мошенничеству",
    ),
    "On urgent measures against spring floods": (
        "Көктемгі су тасқынына қарсы шұғыл шаралар туралы",
        "О неотложных мерах по борьбе с весенним паводком",
    ),
    "On the mid-term results of the National Security Strategy": (
        "Ұлттық қауіпсіздік стратегиясының аралық нәтижелері туралы",
        "О промежуточных итогах реализации Стратегии национальной безопасности",
    ),
    "On the protection of critical information infrastructure": (
        "Ақпараттық-коммуникациялық инфрақұрылымның аса маңызды объектілерін қорғау туралы",
        "О защите критически важных объектов информационно-коммуникационной инфраструктуры",
    ),
    "On recommending a candidate for the post of regional akim": (
        "Облыс әкімі лауазымына кандидатураны ұсыну туралы",
        "О рекомендации кандидатуры на должность акима области",
    ),
}


def load_demo(stdout: Any = None) -> None:
    """The council's demo records, then their titles in Kazakh and Russian."""
    load_records(stdout)
    secretary = User.objects.filter(username="secretary").first()
    if secretary is None:
        return

    def translate(record: Any, texts: dict) -> None:
        services.translate(record, texts, actor=secretary)

    translated.translate_demo(Meeting, SESSIONS, translate)
    translated.translate_demo(Decision, DECISIONS, translate)
