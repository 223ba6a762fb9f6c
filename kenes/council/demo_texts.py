"""The demo's sessions, agenda items and decisions in Kazakh and Russian as well as English (``kenes.core.translated``),
given through the council's ``translate`` service, so every page of the demo reads naturally in each
language. Safe to run again: a record that has its translations is left as it is."""

from __future__ import annotations

from typing import Any

from kenes.accounts.models import User
from kenes.core import translated
from kenes.council import services
from kenes.council.demo import load_demo as load_records
from kenes.council.models import AgendaItem, Decision, Meeting

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

PLACES = {"Akorda, Astana": ("Ақорда, Астана", "Акорда, Астана")}

AGENDA = {
    "Annual report of the Government on national security, defence capability, law and order for 2025": (
        "Үкіметтің 2025 жылғы ұлттық қауіпсіздік, қорғаныс қабілеті, заңдылық және құқықтық тәртіп туралы "
        "жыл сайынғы баяндамасы",
        "Ежегодный доклад Правительства о национальной безопасности, обороноспособности, законности и "
        "правопорядке за 2025 год",
    ),
    "On the plan of the Council's work for 2026": (
        "Кеңестің 2026 жылға арналған жұмыс жоспары туралы",
        "О плане работы Совета на 2026 год",
    ),
    "Report of the Minister of Internal Affairs on the state of public order": (
        "Ішкі істер министрінің қоғамдық тәртіптің жай-күйі туралы баяндамасы",
        "Доклад Министра внутренних дел о состоянии общественного порядка",
    ),
    "On the prevention of fraud committed with information technologies": (
        "Ақпараттық технологияларды пайдаланып жасалатын алаяқтықтың алдын алу туралы",
        "О профилактике мошенничества с использованием информационных технологий",
    ),
    "On the flood situation in the northern regions": (
        "Солтүстік өңірлердегі су тасқыны жағдайы туралы",
        "О паводковой обстановке в северных регионах",
    ),
    "Mid-term review of the National Security Strategy": (
        "Ұлттық қауіпсіздік стратегиясын аралық қарау",
        "Промежуточный обзор Стратегии национальной безопасности",
    ),
    "Report of the Chairman of the National Security Committee": (
        "Ұлттық қауіпсіздік комитеті Төрағасының баяндамасы",
        "Доклад Председателя Комитета национальной безопасности",
    ),
    "On protecting critical information infrastructure": (
        "Ақпараттық-коммуникациялық инфрақұрылымның аса маңызды объектілерін қорғау туралы",
        "О защите критически важных объектов информационно-коммуникационной инфраструктуры",
    ),
    "On the use of funds allocated to border infrastructure": (
        "Шекара инфрақұрылымына бөлінген қаражаттың пайдаланылуы туралы",
        "Об использовании средств, выделенных на пограничную инфраструктуру",
    ),
    "Discussion of candidates for the post of akim of a region": (
        "Облыс әкімі лауазымына кандидатураларды талқылау",
        "Обсуждение кандидатур на должность акима области",
    ),
    "Report of the akim of Almaty city on public safety": (
        "Алматы қаласы әкімінің қоғамдық қауіпсіздік туралы баяндамасы",
        "Доклад акима города Алматы об общественной безопасности",
    ),
    "On the draft plan of the Council's work for 2027": (
        "Кеңестің 2027 жылға арналған жұмыс жоспарының жобасы туралы",
        "О проекте плана работы Совета на 2027 год",
    ),
}

SPEAKERS = {
    "Prime Minister": ("Премьер-Министр", "Премьер-Министр"),
    "Minister of Internal Affairs": ("Ішкі істер министрі", "Министр внутренних дел"),
    "Minister for Emergency Situations": ("Төтенше жағдайлар министрі", "Министр по чрезвычайным ситуациям"),
    "Chairman of the National Security Committee": (
        "Ұлттық қауіпсіздік комитетінің Төрағасы",
        "Председатель Комитета национальной безопасности",
    ),
    "Akim of Almaty city": ("Алматы қаласының әкімі", "Аким города Алматы"),
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

    translated.translate_demo(Meeting, SESSIONS, translate, more={"place": PLACES})
    translated.translate_demo(AgendaItem, AGENDA, translate, more={"speaker": SPEAKERS})
    translated.translate_demo(Decision, DECISIONS, translate)
